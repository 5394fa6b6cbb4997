using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Runtime;
using Sawt.Contracts.Operations;
using Sawt.Contracts.Voices;
using Sawt.Contracts.Workers;

namespace Sawt.Grains.Operations;

/// <summary>
/// The cluster's operator view (key 0). Session outcomes and gateway reports arrive one-way and are kept in bounded
/// memory (<see cref="SessionOutcomeWindow"/>, one entry per gateway until it goes stale); silos, workers and
/// voice-store counters are read when a snapshot is asked for (membership from the management grain, workers from
/// the registry, counters from one T3 worker per silo). Nothing is persisted: a new activation starts an empty
/// window, which an operator sees as "no sessions yet", not as wrong numbers.
/// </summary>
[Reentrant] // A snapshot awaits other grains; reports must get in meanwhile. No state change spans an await.
internal sealed partial class ClusterHealthGrain(TimeProvider time, ILogger<ClusterHealthGrain> logger) : Grain, IClusterHealthGrain
{
    /// <summary>Buckets of the latency window: 30 × 10 s = the last five minutes.</summary>
    public static readonly TimeSpan BucketWidth = TimeSpan.FromSeconds(10);

    public const int BucketCount = 30;

    /// <summary>Time-to-first-audio samples kept per bucket (reservoir-sampled beyond).</summary>
    public const int SamplesPerBucket = 256;

    /// <summary>A gateway that has not reported for this long is gone (it reports every two seconds).</summary>
    public static readonly TimeSpan GatewayStaleAfter = TimeSpan.FromSeconds(10);

    /// <summary>Dead silos stay listed this long, so an operator sees that one died.</summary>
    public static readonly TimeSpan DeadSiloShownFor = TimeSpan.FromMinutes(5);

    /// <summary>Gateways poll every second or two; one snapshot serves all of them within this age.</summary>
    private static readonly TimeSpan SnapshotReuse = TimeSpan.FromSeconds(1);

    /// <summary>A silo whose worker does not answer within this is shown without its voice counters.</summary>
    private static readonly TimeSpan VoiceStatsTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Gateways kept at most; beyond it the stalest is dropped (a bound, not a limit operators reach).</summary>
    private const int MaxGateways = 256;

    private readonly SessionOutcomeWindow _window = new(time, BucketWidth, BucketCount, SamplesPerBucket);
    private readonly Dictionary<string, GatewayLoadReport> _gateways = new(StringComparer.Ordinal);
    private (ClusterHealthSnapshot Snapshot, long At)? _last;

    public Task RecordSession(SessionOutcome outcome)
    {
        _window.Record(outcome);
        _last = null; // a new outcome must show on the next poll
        return Task.CompletedTask;
    }

    public Task ReportGateway(GatewayLoadReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _gateways[report.Gateway] = report;
        if (_gateways.Count > MaxGateways)
        {
            _gateways.Remove(_gateways.Values.MinBy(g => g.ReportedAt)!.Gateway);
        }

        return Task.CompletedTask;
    }

    public async Task<ClusterHealthSnapshot> GetSnapshot(CancellationToken cancellationToken = default)
    {
        if (_last is { } last && time.GetElapsedTime(last.At) < SnapshotReuse)
        {
            return last.Snapshot;
        }

        var silos = await ReadSilosAsync();
        var workers = await GrainFactory.GetGrain<IWorkerRegistryGrain>(0).List();
        var voiceStores = await ReadVoiceStoresAsync(workers, cancellationToken);
        var now = time.GetUtcNow();
        foreach (var stale in _gateways.Values.Where(g => now - g.ReportedAt > GatewayStaleAfter).ToList())
        {
            _gateways.Remove(stale.Gateway);
        }

        var snapshot = new ClusterHealthSnapshot(
            now,
            _window.Window.TotalSeconds,
            silos,
            workers,
            [.. _gateways.Values.OrderBy(g => g.Gateway, StringComparer.Ordinal)],
            _window.Total(),
            _window.Buckets(),
            _window.ErrorsByCode(),
            voiceStores);
        _last = (snapshot, time.GetTimestamp());
        return snapshot;
    }

    private async Task<IReadOnlyList<SiloHealth>> ReadSilosAsync()
    {
        var entries = await GrainFactory.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false);
        var now = time.GetUtcNow();
        return [.. entries
            .Where(e => e.Status != SiloStatus.Dead || now - ToUtc(e.IAmAliveTime) < DeadSiloShownFor)
            .Select(e => new SiloHealth(
                e.SiloAddress.Endpoint.ToString(),
                e.SiloName ?? string.Empty,
                e.HostName ?? string.Empty,
                e.Status.ToString(),
                ToUtc(e.StartTime),
                ToUtc(e.IAmAliveTime)))
            .OrderBy(s => s.Address, StringComparer.Ordinal)];
    }

    /// <summary>One T3 worker per silo answers for its silo's counters; a silo that does not answer is left out.</summary>
    private async Task<IReadOnlyList<VoiceStoreStats>> ReadVoiceStoresAsync(IReadOnlyList<WorkerLoadReport> workers, CancellationToken cancellationToken)
    {
        var perSilo = workers.Where(w => w.Kind == WorkerKind.T3 && w.Ready).DistinctBy(w => w.HostSilo).ToList();
        var reads = perSilo.Select(w => GrainFactory.GetGrain<IT3WorkerGrain>(w.WorkerKey).GetVoiceStoreStats().WaitAsync(VoiceStatsTimeout, time, cancellationToken)).ToList();
        var stats = new List<VoiceStoreStats>(reads.Count);
        for (var i = 0; i < reads.Count; i++)
        {
            try
            {
                stats.Add(await reads[i]);
            }
            catch (Exception exception) when (exception is OrleansException or TimeoutException)
            {
                LogVoiceStatsUnavailable(logger, exception, perSilo[i].HostSilo);
            }
        }

        return [.. stats.OrderBy(s => s.Silo, StringComparer.Ordinal)];
    }

    private static DateTimeOffset ToUtc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    [LoggerMessage(EventId = 2049, Level = LogLevel.Debug, Message = "Voice-store counters of silo {Silo} could not be read for the operator view")]
    private static partial void LogVoiceStatsUnavailable(ILogger logger, Exception exception, string silo);
}
