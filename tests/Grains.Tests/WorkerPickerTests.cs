using Sawt.Contracts.Workers;
using Sawt.Grains.Registry;

namespace Sawt.Grains.Tests;

/// <summary>
/// The registry's pick policy: least loaded (active + queued + picks since the last report, over capacity), ties to the
/// worker picked longest ago, so sessions spread over every device of every silo.
/// </summary>
[Trait("Category", "Unit")]
public sealed class WorkerPickerTests
{
    private const int T3Capacity = 32;
    private static readonly string SiloA = "10.0.0.1:11111";
    private static readonly string SiloB = "10.0.0.2:11111";

    [Fact]
    public void Pick_NoCandidates_Null() => Assert.Null(new WorkerPicker().Pick([]));

    [Fact]
    public void Pick_EqualLoadWithoutReports_GoesRoundEveryWorker()
    {
        var picker = new WorkerPicker();
        WorkerLoadReport[] workers = [Idle(SiloA, "cpu:0"), Idle(SiloA, "cpu:1"), Idle(SiloB, "cpu:0"), Idle(SiloB, "cpu:1")];

        var picks = Enumerable.Range(0, 8).Select(_ => picker.Pick(workers)!.WorkerKey).ToList();

        // Each of the first four picks lands on a different worker, and the next four repeat the round.
        Assert.Equal(4, picks.Take(4).Distinct().Count());
        Assert.Equal(picks.Take(4), picks.Skip(4));
    }

    [Fact]
    public void Pick_EqualLoadReportedBetweenPicks_StillAlternates()
    {
        // Reports that do not yet show the picked sessions reset the estimate; the tie-break alone must then spread.
        var picker = new WorkerPicker();
        WorkerLoadReport[] workers = [Idle(SiloA, "cpu:0"), Idle(SiloA, "cpu:1")];
        var picks = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            picks.Add(picker.Pick(workers)!.WorkerKey);
            foreach (var worker in workers)
            {
                picker.Observe(worker);
            }
        }

        Assert.Equal(3, picks.Count(k => k.EndsWith("/cpu:0", StringComparison.Ordinal)));
        Assert.Equal(3, picks.Count(k => k.EndsWith("/cpu:1", StringComparison.Ordinal)));
        Assert.All(picks.Zip(picks.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
    }

    [Fact]
    public void Pick_UnequalLoad_LeastLoadedRelativeToCapacity()
    {
        var picker = new WorkerPicker();
        var busy = Idle(SiloA, "cuda:0") with { Active = 8, Queued = 4 };              // 12 / 32
        var small = Idle(SiloA, "cuda:1") with { Active = 2, Capacity = 4 };           // 2 / 4
        var light = Idle(SiloB, "cuda:0") with { Active = 6, Queued = 2 };             // 8 / 32

        Assert.Equal(light.WorkerKey, picker.Pick([busy, small, light])!.WorkerKey);
    }

    [Fact]
    public void Pick_Burst_CountsPicksUntilTheNextReport()
    {
        // One worker starts with 3 sessions: the next three picks go to the idle one, then they alternate.
        var picker = new WorkerPicker();
        var loaded = Idle(SiloA, "cpu:0") with { Active = 3 };
        var idle = Idle(SiloA, "cpu:1");

        var picks = Enumerable.Range(0, 5).Select(_ => picker.Pick([loaded, idle])!.WorkerKey).ToList();

        Assert.Equal([idle.WorkerKey, idle.WorkerKey, idle.WorkerKey], picks.Take(3));
        Assert.NotEqual(picks[3], picks[4]);
    }

    [Fact]
    public void Observe_ReportReplacesThePickEstimate()
    {
        var picker = new WorkerPicker();
        var worker = Idle(SiloA, "cpu:0");
        picker.Pick([worker]);
        picker.Pick([worker]);
        Assert.Equal(2.0 / T3Capacity, picker.Load(worker), 9);

        picker.Observe(worker with { Active = 1 });

        Assert.Equal(1.0 / T3Capacity, picker.Load(worker with { Active = 1 }), 9);
    }

    [Fact]
    public void Pick_NoCapacity_OnlyWhenNothingElse()
    {
        var picker = new WorkerPicker();
        var empty = Idle(SiloA, "cpu:0") with { Capacity = 0 };
        var full = Idle(SiloA, "cpu:1") with { Active = 32, Queued = 64 };

        Assert.Equal(full.WorkerKey, picker.Pick([empty, full])!.WorkerKey);
    }

    [Fact]
    public void Forget_WorkerLeft_ItsCountsGo()
    {
        var picker = new WorkerPicker();
        var worker = Idle(SiloA, "cpu:0");
        picker.Pick([worker]);

        picker.Forget(worker.WorkerKey);

        Assert.Equal(0, picker.Load(worker));
    }

    [Fact]
    public void Pick_KindsAreIndependent()
    {
        // A session picks a T3 and then a decoder worker: decoder picks must not shift the T3 rotation.
        var picker = new WorkerPicker();
        WorkerLoadReport[] t3 = [Idle(SiloA, "cpu:0"), Idle(SiloA, "cpu:1")];
        WorkerLoadReport[] decoders = [.. t3.Select(w => w with { Kind = WorkerKind.Decoder, Capacity = 4 })];
        var t3Picks = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            t3Picks.Add(picker.Pick(t3)!.WorkerKey);
            picker.Pick(decoders);
            foreach (var worker in t3.Concat(decoders))
            {
                picker.Observe(worker);
            }
        }

        Assert.Equal(2, t3Picks.Distinct().Count());
        Assert.All(t3Picks.Zip(t3Picks.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
    }

    private static WorkerLoadReport Idle(string silo, string device) =>
        new(WorkerKeys.Create(silo, device), WorkerKind.T3, 0, 0, T3Capacity, 0, true, DateTimeOffset.UnixEpoch, silo);
}
