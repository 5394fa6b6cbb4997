using Sawt.Contracts.Voices;
using Sawt.Contracts.Workers;

namespace Sawt.Contracts.Operations;

/// <summary>What <c>/ops</c> shows: the whole cluster at <see cref="At"/>.</summary>
/// <param name="At">UTC time of the snapshot.</param>
/// <param name="WindowSeconds">Span of <see cref="Window"/> and <see cref="Buckets"/>.</param>
/// <param name="Silos">Every silo in the membership (recently dead ones included).</param>
/// <param name="Workers">Every worker with a fresh load report.</param>
/// <param name="Gateways">Every gateway with a fresh report.</param>
/// <param name="Window">Sessions ended over the whole window.</param>
/// <param name="Buckets">The window in equal time buckets, oldest first (empty buckets omitted).</param>
/// <param name="Errors">Failed sessions in the window by error code, most frequent first.</param>
/// <param name="VoiceStores">Each silo's voice-store counters since it started.</param>
[GenerateSerializer, Immutable, Alias("sawt.cluster-health")]
public sealed record ClusterHealthSnapshot(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] double WindowSeconds,
    [property: Id(2)] IReadOnlyList<SiloHealth> Silos,
    [property: Id(3)] IReadOnlyList<WorkerLoadReport> Workers,
    [property: Id(4)] IReadOnlyList<GatewayLoadReport> Gateways,
    [property: Id(5)] LatencySummary Window,
    [property: Id(6)] IReadOnlyList<LatencySummary> Buckets,
    [property: Id(7)] IReadOnlyList<ErrorCount> Errors,
    [property: Id(8)] IReadOnlyList<VoiceStoreStats> VoiceStores)
{
    /// <summary>WebSocket connections open on every gateway.</summary>
    public int OpenSockets => Gateways.Sum(g => g.OpenSockets);

    /// <summary>Sessions running on every gateway.</summary>
    public int ActiveSessions => Gateways.Sum(g => g.ActiveSessions);

    /// <summary>Voice lookups any layer served, over all lookups, summed over silos (null before the first lookup).</summary>
    public double? VoiceHitRatio
    {
        get
        {
            // Every lookup asks memory first; a memory miss goes on to Redis when it is configured.
            var lookups = VoiceStores.Sum(v => v.MemoryHits + v.MemoryMisses);
            var hits = VoiceStores.Sum(v => v.MemoryHits + v.RedisHits);
            return lookups == 0 ? null : (double)hits / lookups;
        }
    }
}
