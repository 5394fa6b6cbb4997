namespace Sawt.Contracts.Workers;

/// <summary>S3Gen/HiFT decoding on one GPU (or a silo's CPU), pinned to its silo by key.</summary>
[Alias("sawt.IDecoderWorkerGrain")]
public interface IDecoderWorkerGrain : IGrainWithStringKey
{
    /// <summary>Activates the worker and starts its load reports.</summary>
    [Alias("Activate")]
    Task<WorkerLoadReport> Activate();

    /// <summary>24 kHz float32 little-endian samples for the job's tokens (960 per token).</summary>
    [Alias("Decode")]
    Task<byte[]> Decode(DecodeJob job, CancellationToken cancellationToken = default);
}
