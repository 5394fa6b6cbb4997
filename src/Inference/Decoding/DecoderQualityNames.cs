namespace Sawt.Inference.Decoding;

/// <summary>The wire names of <see cref="DecoderQuality"/>: <c>fast</c>, <c>balanced</c>, <c>best</c>.</summary>
public static class DecoderQualityNames
{
    public const string Fast = "fast";
    public const string Balanced = "balanced";
    public const string Best = "best";

    /// <summary>Every accepted name, for error messages and docs.</summary>
    public static IReadOnlyList<string> All { get; } = [Fast, Balanced, Best];

    /// <summary>
    /// Reads a tier; null or absent is <see cref="DecoderQuality.Balanced"/>. Throws <c>invalid_options</c> naming the
    /// accepted values for anything else (names are lower-case, compared exactly).
    /// </summary>
    public static DecoderQuality Parse(string? name) => name switch
    {
        null or Balanced => DecoderQuality.Balanced,
        Fast => DecoderQuality.Fast,
        Best => DecoderQuality.Best,
        _ => throw new InferenceException(InferenceErrorCode.InvalidOptions,
            $"Field 'quality' must be one of {string.Join(", ", All)}."),
    };
}
