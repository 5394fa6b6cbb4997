namespace Sawt.Contracts.Workers;

/// <summary>A worker's load, reported to the registry every second or so.</summary>
/// <param name="WorkerKey">The worker grain key.</param>
/// <param name="Kind">T3 or decoder.</param>
/// <param name="Active">Sequences (T3) or decode calls (decoder) running now.</param>
/// <param name="Queued">Waiting for a slot.</param>
/// <param name="Capacity">Active slots.</param>
/// <param name="RecentStepMilliseconds">Latest decode-step (T3) or decode-call (decoder) time.</param>
/// <param name="Ready">Models loaded and warmed up.</param>
/// <param name="ReportedAt">UTC time of the report; stale reports are ignored.</param>
/// <param name="HostSilo">Endpoint of the silo the worker actually runs on.</param>
/// <param name="Served">Jobs the worker has accepted since it activated (T3: generations; decoder: decode calls).</param>
[GenerateSerializer, Immutable, Alias("sawt.worker-load")]
public sealed record WorkerLoadReport(
    [property: Id(0)] string WorkerKey,
    [property: Id(1)] WorkerKind Kind,
    [property: Id(2)] int Active,
    [property: Id(3)] int Queued,
    [property: Id(4)] int Capacity,
    [property: Id(5)] double RecentStepMilliseconds,
    [property: Id(6)] bool Ready,
    [property: Id(7)] DateTimeOffset ReportedAt,
    [property: Id(8)] string HostSilo,
    [property: Id(9)] long Served = 0)
{
    /// <summary>Share of capacity in use, counting the queue (may exceed 1).</summary>
    public double Utilisation => Capacity <= 0 ? double.MaxValue : (double)(Active + Queued) / Capacity;
}
