using Sawt.Inference.Streaming;

namespace Sawt.Inference.Tests.Streaming;

[Trait("Category", "Unit")]
public sealed class ChunkPlannerTests
{
    [Fact]
    public void Next_DefaultSchedule_GrowsTenTwentyFiveFiftyAndHoldsBack()
    {
        var planner = new ChunkPlanner(new StreamingOptions());
        Assert.Null(planner.Next(12, generationEnded: false));
        var first = planner.Next(13, generationEnded: false)!;
        Assert.Equal(new DecodePlan(0, 0, 0, 10, 13, false), first);
        Assert.Null(planner.Next(37, generationEnded: false));
        var second = planner.Next(38, generationEnded: false)!;
        Assert.Equal(new DecodePlan(1, 0, 10, 35, 38, false), second);
        var third = planner.Next(100, generationEnded: false)!;
        Assert.Equal(new DecodePlan(2, 23, 35, 85, 88, false), third);
        Assert.Null(planner.Next(100, generationEnded: false));
        var final = planner.Next(100, generationEnded: true)!;
        Assert.Equal(new DecodePlan(3, 73, 85, 100, 100, true), final);
        Assert.Null(planner.Next(100, generationEnded: true));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(13)]
    [InlineData(57)]
    [InlineData(400)]
    public void Next_TokensArrivingOneByOne_EmitRangesCoverEverythingOnceInOrder(int total)
    {
        var planner = new ChunkPlanner(new StreamingOptions { ChunkSchedule = [4, 9], ContextTokens = 5, HoldbackTokens = 2 });
        var plans = new List<DecodePlan>();
        for (var available = 0; available <= total; available++)
        {
            while (planner.Next(available, generationEnded: false) is { } plan)
            {
                plans.Add(plan);
            }
        }

        plans.Add(planner.Next(total, generationEnded: true)!);
        var covered = 0;
        foreach (var plan in plans)
        {
            Assert.Equal(covered, plan.EmitStart);
            Assert.True(plan.EmitEnd >= plan.EmitStart);
            Assert.Equal(Math.Max(0, plan.EmitStart - 5), plan.ContextStart);
            Assert.True(plan.DecodeEnd <= total);
            covered = plan.EmitEnd;
        }

        Assert.Equal(total, covered);
        Assert.True(plans[^1].IsFinal);
        Assert.Equal(Enumerable.Range(0, plans.Count), plans.Select(p => p.Index));
    }

    [Theory]
    [InlineData(0, 3, 20)]
    [InlineData(10, 0, 20)]
    [InlineData(10, 3, 41)]
    public void Validate_OutOfRange_InvalidOptions(int context, int holdback, double crossFade)
    {
        var options = new StreamingOptions { ContextTokens = context, HoldbackTokens = holdback, CrossFadeMilliseconds = crossFade };
        Assert.Equal(InferenceErrorCode.InvalidOptions, Assert.Throws<InferenceException>(options.Validate).Code);
    }

    [Fact]
    public void Validate_EmptySchedule_InvalidOptions()
    {
        Assert.Equal(InferenceErrorCode.InvalidOptions, Assert.Throws<InferenceException>(new StreamingOptions { ChunkSchedule = [] }.Validate).Code);
    }
}
