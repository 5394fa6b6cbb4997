using Sawt.Contracts.Workers;
using Sawt.Grains.Registry;

namespace Sawt.Grains.Tests;

/// <summary>Which reports count: recent ones, else late ones from silos membership still holds active.</summary>
[Trait("Category", "Unit")]
public sealed class WorkerCandidatesTests
{
    private const string SiloA = "10.0.0.1:11111";
    private const string SiloB = "10.0.0.2:11111";
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Select_SomeFresh_OnlyTheFreshCount()
    {
        WorkerLoadReport[] reports = [Report(SiloA, ageSeconds: 1), Report(SiloB, ageSeconds: 20)];

        var picked = WorkerCandidates.Select(reports, WorkerKind.T3, Now, _ => true);

        Assert.Equal([SiloA], picked.Select(w => w.HostSilo));
    }

    [Fact]
    public void Select_NoneFresh_LateWorkersOfActiveSilosStillCount()
    {
        // A saturated silo's report timer runs late: the worker is full, not gone, so the caller must hear busy from it.
        WorkerLoadReport[] reports = [Report(SiloA, ageSeconds: 12), Report(SiloB, ageSeconds: 12)];

        var picked = WorkerCandidates.Select(reports, WorkerKind.T3, Now, silo => silo == SiloA);

        Assert.Equal([SiloA], picked.Select(w => w.HostSilo));
    }

    [Fact]
    public void Select_NoneFresh_TooLateOrNotReadyOrOtherKind_NeverCount()
    {
        WorkerLoadReport[] reports =
        [
            Report(SiloA, ageSeconds: 61),
            Report(SiloB, ageSeconds: 10) with { Ready = false },
            Report(SiloB, ageSeconds: 10) with { Kind = WorkerKind.Decoder },
        ];

        Assert.Empty(WorkerCandidates.Select(reports, WorkerKind.T3, Now, _ => true));
    }

    private static WorkerLoadReport Report(string silo, double ageSeconds) =>
        new(WorkerKeys.Create(silo, "cpu:0"), WorkerKind.T3, 32, 64, 32, 50, true, Now.AddSeconds(-ageSeconds), silo);
}
