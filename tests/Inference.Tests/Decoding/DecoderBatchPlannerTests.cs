using Sawt.Inference.Decoding;

namespace Sawt.Inference.Tests.Decoding;

[Trait("Category", "Unit")]
public sealed class DecoderBatchPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Wait = TimeSpan.FromMilliseconds(5);
    private static readonly DecoderBatchingOptions FourRowsFiveMs = new() { MaxBatchSize = 4, MaxBatchWait = Wait, MaxConcurrentBatches = 2 };
    private static readonly DecoderBatchKey TenTokens = new("n6", 100, 10, 200);
    private static readonly DecoderBatchKey TwelveTokens = new("n6", 100, 12, 200);
    private static readonly DecoderBatchKey TenTokensN10 = new("n10", 100, 10, 200);

    [Fact]
    public void Next_LoneChunkWithinItsWait_WaitsUntilItsDeadline()
    {
        var plan = DecoderBatchPlanner.Next([(TenTokens, T0)], T0 + Wait - TimeSpan.FromTicks(1), 2, FourRowsFiveMs);
        Assert.Empty(plan.Batches);
        Assert.Equal(T0 + Wait, plan.WakeAt);
    }

    [Fact]
    public void Next_LoneChunkAtItsDeadline_RunsAlone()
    {
        var plan = DecoderBatchPlanner.Next([(TenTokens, T0)], T0 + Wait, 2, FourRowsFiveMs);
        Assert.Equal([0], Assert.Single(plan.Batches));
        Assert.Null(plan.WakeAt);
    }

    [Fact]
    public void Next_FullGroup_RunsAtOnceWithoutWaiting()
    {
        var plan = DecoderBatchPlanner.Next([(TenTokens, T0), (TenTokens, T0), (TenTokens, T0), (TenTokens, T0)], T0, 2, FourRowsFiveMs);
        Assert.Equal([0, 1, 2, 3], Assert.Single(plan.Batches));
    }

    [Fact]
    public void Next_OtherShapesOrVariants_NeverShareABatch()
    {
        var pending = new[] { (TenTokens, T0), (TwelveTokens, T0), (TenTokensN10, T0), (TenTokens, T0) };
        var plan = DecoderBatchPlanner.Next(pending, T0 + Wait, 4, FourRowsFiveMs);
        Assert.Equal(3, plan.Batches.Count);
        Assert.Equal([0, 3], plan.Batches[0]);
        Assert.Equal([1], plan.Batches[1]);
        Assert.Equal([2], plan.Batches[2]);
    }

    [Fact]
    public void Next_MoreThanABatch_SplitsInArrivalOrderAndKeepsTheRestWaiting()
    {
        var pending = Enumerable.Range(0, 6).Select(i => (TenTokens, T0 + TimeSpan.FromMilliseconds(i))).ToArray();
        var plan = DecoderBatchPlanner.Next(pending, T0 + TimeSpan.FromMilliseconds(6), 2, FourRowsFiveMs);
        // Rows 4 and 5 (submitted at 4 and 5 ms) wait until 9 ms for company.
        Assert.Equal([0, 1, 2, 3], Assert.Single(plan.Batches));
        Assert.Equal(T0 + TimeSpan.FromMilliseconds(9), plan.WakeAt);
    }

    [Fact]
    public void Next_NoFreeSlot_StartsNothingAndSetsNoTimer()
    {
        var plan = DecoderBatchPlanner.Next([(TenTokens, T0)], T0 + Wait, 0, FourRowsFiveMs);
        Assert.Empty(plan.Batches);
        Assert.Null(plan.WakeAt);
    }

    [Fact]
    public void Next_ReadyGroupsBeyondFreeSlots_OldestFirst()
    {
        var pending = new[] { (TwelveTokens, T0), (TenTokens, T0 + TimeSpan.FromMilliseconds(1)) };
        var plan = DecoderBatchPlanner.Next(pending, T0 + TimeSpan.FromMilliseconds(10), 1, FourRowsFiveMs);
        Assert.Equal([0], Assert.Single(plan.Batches));
    }

    [Fact]
    public void Next_ZeroWait_RunsEveryChunkAtOnce()
    {
        var plan = DecoderBatchPlanner.Next([(TenTokens, T0), (TwelveTokens, T0)], T0, 4, FourRowsFiveMs with { MaxBatchWait = TimeSpan.Zero });
        Assert.Equal(2, plan.Batches.Count);
    }
}
