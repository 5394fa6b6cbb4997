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
/// <param name="Device">The device it runs on (<c>cpu</c>, <c>cuda:0</c>, ...).</param>
/// <param name="TokensPerSecond">Speech tokens generated per second since the previous report (T3; 0 for decoders).</param>
/// <param name="KvCacheBytes">Bytes the worker's resident KV caches hold now (T3; 0 for decoders).</param>
/// <param name="ManagedBytes">The silo process's managed heap, in bytes (shared by the silo's workers).</param>
/// <param name="WorkingSetBytes">The silo process's working set (managed and native), in bytes.</param>
/// <param name="DecoderVariants">
/// The decoder variants a decoder worker serves, the default first, each with its schedule, e.g. <c>n6 (cfm-6)</c>
/// (null for T3 workers).
/// </param>
/// <param name="FirstChunkMilliseconds">
/// A decoder worker's estimate of what a session's first chunk costs there now, from its arrival to its audio (queue
/// wait and decode; a high percentile of the last few seconds' first chunks), or null when none arrived lately (and for
/// T3 workers). Sessions pass it to their T3 worker, which leaves the rest of the first-audio target for itself.
/// </param>
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
    [property: Id(9)] long Served = 0,
    [property: Id(10)] string Device = "",
    [property: Id(11)] double TokensPerSecond = 0,
    [property: Id(12)] long KvCacheBytes = 0,
    [property: Id(13)] long ManagedBytes = 0,
    [property: Id(14)] long WorkingSetBytes = 0,
    [property: Id(15)] string[]? DecoderVariants = null,
    [property: Id(16)] double? FirstChunkMilliseconds = null)
{
    /// <summary>Share of capacity in use, counting the queue (may exceed 1).</summary>
    public double Utilisation => Capacity <= 0 ? double.MaxValue : (double)(Active + Queued) / Capacity;
}
