namespace Sawt.Contracts.Sessions;

/// <summary>Streaming overrides: how speech tokens are cut into decoder calls. Null fields take the defaults.</summary>
[GenerateSerializer, Immutable, Alias("sawt.chunking-settings")]
public sealed record ChunkingSettings
{
    /// <summary>New tokens per chunk, in order, the last repeating (default 10, 25, 50).</summary>
    [Id(0)] public int[]? Schedule { get; init; }

    /// <summary>Already-spoken tokens re-decoded as left context (default 12).</summary>
    [Id(1)] public int? ContextTokens { get; init; }

    /// <summary>Tokens held back at the end of a non-final chunk (default 3).</summary>
    [Id(2)] public int? HoldbackTokens { get; init; }

    /// <summary>Seam cross-fade in milliseconds (default 20).</summary>
    [Id(3)] public double? CrossFadeMilliseconds { get; init; }

    /// <summary>Silence between sentences in milliseconds (default 0).</summary>
    [Id(4)] public double? SentencePauseMilliseconds { get; init; }
}
