namespace Sawt.Contracts.Sessions;

/// <summary>Sampling overrides for one synthesis; null fields take the model's reference defaults.</summary>
[GenerateSerializer, Immutable, Alias("sawt.sampling-settings")]
public sealed record SamplingSettings
{
    /// <summary>Softmax temperature (&gt; 0). Default 0.8.</summary>
    [Id(0)] public float? Temperature { get; init; }

    /// <summary>Min-p filter in [0, 1). Default 0.05.</summary>
    [Id(1)] public float? MinP { get; init; }

    /// <summary>Top-p nucleus in (0, 1]. Default 1 (off).</summary>
    [Id(2)] public float? TopP { get; init; }

    /// <summary>Repetition penalty (&gt;= 1). Default 1.2.</summary>
    [Id(3)] public float? RepetitionPenalty { get; init; }

    /// <summary>Classifier-free guidance weight; 0 disables CFG. Default 0.5.</summary>
    [Id(4)] public float? CfgWeight { get; init; }

    /// <summary>Emotion exaggeration. Default 0.5.</summary>
    [Id(5)] public float? Exaggeration { get; init; }

    /// <summary>Seed for reproducible output; null draws one.</summary>
    [Id(6)] public ulong? Seed { get; init; }

    /// <summary>Cap on speech tokens per sentence (25 per second of audio).</summary>
    [Id(7)] public int? MaxNewTokens { get; init; }
}
