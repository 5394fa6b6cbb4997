using Orleans.Concurrency;

namespace Sawt.Contracts.Operations;

/// <summary>
/// The operator's view of the whole cluster (one activation, key 0): session outcomes over the last minutes,
/// gateway activity, and on request the silos, workers and voice-store counters. Any gateway's <c>/ops</c> reads it,
/// so every gateway shows the same cluster. Memory is bounded (fixed buckets, capped samples).
/// </summary>
[Alias("sawt.IClusterHealthGrain")]
public interface IClusterHealthGrain : IGrainWithIntegerKey
{
    /// <summary>Records how a session ended. One-way: a session never waits for the dashboard.</summary>
    [Alias("RecordSession"), OneWay]
    Task RecordSession(SessionOutcome outcome);

    /// <summary>Records a gateway's open sockets and sessions. One-way, sent every couple of seconds.</summary>
    [Alias("ReportGateway"), OneWay]
    Task ReportGateway(GatewayLoadReport report);

    /// <summary>The cluster as of now: silos, workers, gateways, latency and errors over the window.</summary>
    [Alias("GetSnapshot")]
    Task<ClusterHealthSnapshot> GetSnapshot(CancellationToken cancellationToken = default);
}
