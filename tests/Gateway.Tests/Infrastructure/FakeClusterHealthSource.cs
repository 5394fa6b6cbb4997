using System.Collections.Concurrent;
using Sawt.Contracts.Operations;
using Sawt.Contracts.Voices;
using Sawt.Contracts.Workers;
using Sawt.Gateway.Operations;

namespace Sawt.Gateway.Tests.Infrastructure;

/// <summary>
/// The operator view without a cluster: answers <see cref="Snapshot"/> (a scripted two-silo cluster by default), or
/// throws <see cref="Failure"/> when set; records every gateway report.
/// </summary>
internal sealed class FakeClusterHealthSource : IClusterHealthSource
{
    public static readonly DateTimeOffset At = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    public const string SiloA = "10.0.0.1:11111";
    public const string SiloB = "10.0.0.2:11111";

    public ClusterHealthSnapshot Snapshot { get; set; } = TwoSilos();

    public Exception? Failure { get; set; }

    public ConcurrentQueue<GatewayLoadReport> Reports { get; } = new();

    public Task<ClusterHealthSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default) =>
        Failure is { } failure ? Task.FromException<ClusterHealthSnapshot>(failure) : Task.FromResult(Snapshot);

    public Task ReportGatewayAsync(GatewayLoadReport report, CancellationToken cancellationToken = default)
    {
        Reports.Enqueue(report);
        return Task.CompletedTask;
    }

    /// <summary>Two active silos, a T3 and a decoder worker on each, one gateway, a few sessions and one error.</summary>
    public static ClusterHealthSnapshot TwoSilos() => new(
        At,
        300,
        [new SiloHealth(SiloA, "silo-a", "node-a", "Active", At.AddMinutes(-10), At), new SiloHealth(SiloB, "silo-b", "node-b", "Active", At.AddMinutes(-9), At)],
        [
            Worker(WorkerKind.T3, SiloA), Worker(WorkerKind.Decoder, SiloA),
            Worker(WorkerKind.T3, SiloB), Worker(WorkerKind.Decoder, SiloB),
        ],
        [new GatewayLoadReport("gw-1", 3, 2, At)],
        new LatencySummary(At.AddMinutes(-5), 4, 1, 120, 300, 310),
        [new LatencySummary(At.AddSeconds(-10), 4, 1, 120, 300, 310)],
        [new ErrorCount("busy", 1)],
        [new VoiceStoreStats(SiloA, 1, 6, 0, 2, 0, 0, 0), new VoiceStoreStats(SiloB, 1, 2, 0, 0, 0, 0, 0)]);

    private static WorkerLoadReport Worker(WorkerKind kind, string silo) =>
        new($"{silo}/cpu", kind, 1, 0, 4, 12.5, true, At, silo, 3, "cpu", kind == WorkerKind.T3 ? 40 : 0, 1024, 2048, 4096);
}
