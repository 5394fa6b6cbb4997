namespace Sawt.Contracts.Voices;

/// <summary>What the voices API tells about a voice (its metadata, never its audio or conditionals).</summary>
/// <param name="VoiceId">The id the tenant knows the voice by (without the tenant prefix).</param>
/// <param name="ContentHash">Hash of the reference audio; also the voice's revision, which sessions pin at start.</param>
/// <param name="DurationSeconds">Length of the reference audio; null for the bundle's default voice.</param>
/// <param name="SampleRate">Sample rate of the uploaded WAV in Hz; null for the default voice.</param>
/// <param name="Channels">Channels of the uploaded WAV; null for the default voice.</param>
/// <param name="CreatedAt">When this revision was enrolled (UTC); null for the default voice.</param>
/// <param name="Bundle">The model bundle that computed the voice.</param>
/// <param name="ReadOnly">True for the bundle's default voice, which cannot be replaced or deleted.</param>
[GenerateSerializer, Immutable, Alias("sawt.voice-info")]
public sealed record VoiceInfo(
    [property: Id(0)] string VoiceId,
    [property: Id(1)] string ContentHash,
    [property: Id(2)] double? DurationSeconds,
    [property: Id(3)] int? SampleRate,
    [property: Id(4)] int? Channels,
    [property: Id(5)] DateTimeOffset? CreatedAt,
    [property: Id(6)] string Bundle,
    [property: Id(7)] bool ReadOnly);
