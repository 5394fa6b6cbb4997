namespace Sawt.Contracts.Workers;

/// <summary>The two GPU worker roles.</summary>
[GenerateSerializer, Alias("sawt.worker-kind")]
public enum WorkerKind
{
    /// <summary>T3 speech-token generation (continuous batching).</summary>
    T3 = 1,

    /// <summary>S3Gen/HiFT decoding of token chunks to audio.</summary>
    Decoder = 2,
}
