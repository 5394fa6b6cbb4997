using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Sampling;

[Trait("Category", "Unit")]
public sealed class DraftLengthControllerTests
{
    private static readonly SpeculativeOptions Defaults = new();

    [Theory]
    [InlineData(0.0, 3, 0.3)]
    [InlineData(0.5, 1, 0.2)]
    [InlineData(0.8, 4, 0.3)]
    [InlineData(0.95, 7, 0.05)]
    public void TokensPerCost_MatchesTheClosedForm(double alpha, int k, double cost)
    {
        var expected = (1 - Math.Pow(alpha, k + 1)) / (1 - alpha) / ((k * cost) + 1);

        Assert.Equal(expected, DraftLengthController.TokensPerCost(alpha, k, cost), precision: 12);
    }

    [Fact]
    public void TokensPerCost_PerfectAcceptance_IsTokensOverCost()
    {
        Assert.Equal(5.0 / 2.2, DraftLengthController.TokensPerCost(1.0, 4, 0.3), precision: 12);
    }

    [Fact]
    public void BestDraftLength_WorkedExample()
    {
        // alpha 0.8, c 0.3: k = 1..5 give 1.385, 1.525, 1.554, 1.528, 1.477 tokens per target-call cost.
        Assert.Equal(3, DraftLengthController.BestDraftLength(0.8, 0.3, 1, 8));
        Assert.Equal(2, DraftLengthController.BestDraftLength(0.8, 0.3, 1, 2));
        Assert.Equal(5, DraftLengthController.BestDraftLength(0.8, 0.3, 5, 8));
    }

    [Fact]
    public void BestDraftLength_IsTheArgmaxOverTheRange_SmallestOnTies()
    {
        for (var alpha = 0.0; alpha <= 1.0; alpha += 0.05)
        {
            foreach (var cost in new[] { 0.0, 0.05, 0.3, 0.7, 1.0 })
            {
                var values = Enumerable.Range(1, 8).Select(k => DraftLengthController.TokensPerCost(alpha, k, cost)).ToArray();

                var best = DraftLengthController.BestDraftLength(alpha, cost, 1, 8);

                Assert.Equal(Array.IndexOf(values, values.Max()) + 1, best);
            }
        }
    }

    [Fact]
    public void BestDraftLength_GrowsWithAcceptance_ShrinksWithCost()
    {
        var previous = 1;
        for (var alpha = 0.0; alpha <= 1.0; alpha += 0.01)
        {
            var k = DraftLengthController.BestDraftLength(alpha, 0.2, 1, 16);
            Assert.True(k >= previous, $"alpha {alpha}: k {k} after {previous}");
            previous = k;
        }

        Assert.Equal(16, previous);
        Assert.True(DraftLengthController.BestDraftLength(0.9, 0.6, 1, 16) < DraftLengthController.BestDraftLength(0.9, 0.1, 1, 16));
        Assert.Equal(1, DraftLengthController.BestDraftLength(0.0, 0.0, 1, 16));
    }

    [Fact]
    public void Constructor_StartsFromTheInitialRate()
    {
        var controller = new DraftLengthController(Defaults with { InitialAcceptanceRate = 0.8, DraftCostRatio = 0.3, MaxDraftTokens = 8 });

        Assert.Equal(0.8, controller.AcceptanceRate, precision: 12);
        Assert.Equal(3, controller.DraftTokens);
    }

    [Fact]
    public void Observe_CountsTrialsUpToTheFirstRejection()
    {
        // Prior: 10 trials (1 / (1 - 0.9)) at 0.5, i.e. 5 successes. A round keeping 2 of 4 saw 3 trials:
        // (0.9 x 5 + 2) / (0.9 x 10 + 3); one keeping all 4 saw 4 trials.
        var controller = new DraftLengthController(Defaults with { InitialAcceptanceRate = 0.5, AcceptanceDecay = 0.9 });

        controller.Observe(drafted: 4, accepted: 2);
        Assert.Equal(6.5 / 12, controller.AcceptanceRate, precision: 12);

        controller.Observe(drafted: 4, accepted: 4);
        Assert.Equal(((0.9 * 6.5) + 4) / ((0.9 * 12) + 4), controller.AcceptanceRate, precision: 12);
    }

    [Fact]
    public void Observe_SustainedAcceptance_RaisesKToMax_RejectionsLowerItToMin()
    {
        var controller = new DraftLengthController(Defaults with { MinDraftTokens = 2, MaxDraftTokens = 6, InitialAcceptanceRate = 0.5 });
        var start = controller.DraftTokens;

        for (var round = 0; round < 60; round++)
        {
            controller.Observe(controller.DraftTokens, controller.DraftTokens);
        }

        Assert.Equal(6, controller.DraftTokens);
        Assert.True(start < 6, $"started at {start}");

        for (var round = 0; round < 60; round++)
        {
            controller.Observe(controller.DraftTokens, 0);
        }

        Assert.Equal(2, controller.DraftTokens);
        Assert.True(controller.AcceptanceRate < 0.05, $"alpha {controller.AcceptanceRate}");
    }

    [Fact]
    public void Observe_SameRounds_SameChoices()
    {
        var first = Trace(new DraftLengthController(Defaults));
        var second = Trace(new DraftLengthController(Defaults));

        Assert.Equal(first, second);
        Assert.True(first.Distinct().Count() > 1, string.Join(",", first));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(3, 4)]
    [InlineData(3, -1)]
    public void Observe_InvalidCounts_Throw(int drafted, int accepted)
    {
        var controller = new DraftLengthController(Defaults);

        Assert.Throws<ArgumentOutOfRangeException>(() => controller.Observe(drafted, accepted));
    }

    private static int[] Trace(DraftLengthController controller)
    {
        // Acceptance of each drafted position from a fixed stream: 0.95 for 30 rounds, then 0.3.
        var random = new DeterministicRandom(42);
        var trace = new int[60];
        for (var round = 0; round < trace.Length; round++)
        {
            var rate = round < 30 ? 0.95 : 0.3;
            var k = controller.DraftTokens;
            var accepted = 0;
            while (accepted < k && random.NextDouble() < rate)
            {
                accepted++;
            }

            controller.Observe(k, accepted);
            trace[round] = controller.DraftTokens;
        }

        return trace;
    }
}
