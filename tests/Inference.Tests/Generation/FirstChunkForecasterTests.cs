using Sawt.Inference.Generation;

namespace Sawt.Inference.Tests.Generation;

[Trait("Category", "Unit")]
public sealed class FirstChunkForecasterTests
{
    private static readonly TimeSpan Ms10 = TimeSpan.FromMilliseconds(10);

    [Fact]
    public void Forecast_NothingMeasured_IsUnknown()
    {
        var forecaster = new FirstChunkForecaster(maxActive: 4, maxPrefill: 2);

        Assert.Null(forecaster.Forecast([], queuedAhead: 0, firstChunkTokens: 10));
    }

    [Fact]
    public void Forecast_FreeSlot_IsOwnPrefillPlusTheRestOfTheChunkInSteps()
    {
        var forecaster = new FirstChunkForecaster(maxActive: 4, maxPrefill: 2);
        forecaster.ObservePrefill(1, TimeSpan.FromMilliseconds(30));
        forecaster.ObserveStep(2, TimeSpan.FromMilliseconds(15));

        // One running sequence: it joins a batch of two; the prefill gives token 1, nine steps give the rest.
        var forecast = forecaster.Forecast([5], queuedAhead: 0, firstChunkTokens: 10);

        Assert.Equal(30 + (9 * 15), forecast!.Value.TotalMilliseconds, 6);
    }

    [Fact]
    public void StepMs_BetweenMeasuredSizes_InterpolatesAndAboveThemScalesWithRows()
    {
        var forecaster = new FirstChunkForecaster(maxActive: 8, maxPrefill: 2);
        forecaster.ObserveStep(1, Ms10);
        forecaster.ObserveStep(5, TimeSpan.FromMilliseconds(30));

        Assert.Equal(10, forecaster.StepMs(1));
        Assert.Equal(20, forecaster.StepMs(3)!.Value, 6);
        Assert.Equal(48, forecaster.StepMs(8)!.Value, 6);
    }

    [Fact]
    public void Observe_RepeatedMeasurements_MoveTheEstimateTowardsTheRecent()
    {
        var forecaster = new FirstChunkForecaster(maxActive: 4, maxPrefill: 2);
        forecaster.ObserveStep(1, Ms10);
        forecaster.ObserveStep(1, TimeSpan.FromMilliseconds(20));

        Assert.Equal(12, forecaster.StepMs(1)!.Value, 6);
    }

    [Fact]
    public void Forecast_DeeperInTheQueue_WaitsForEarlierPrefillRounds()
    {
        var forecaster = new FirstChunkForecaster(maxActive: 8, maxPrefill: 2);
        forecaster.ObservePrefill(1, TimeSpan.FromMilliseconds(20));
        forecaster.ObservePrefill(2, TimeSpan.FromMilliseconds(30));
        for (var batch = 1; batch <= 8; batch++)
        {
            forecaster.ObserveStep(batch, TimeSpan.FromMilliseconds(10 * batch));
        }

        // Four ahead with two joining per round: rounds 1 and 2 (prefill 2 + step at 3 and 5 rows) come first; it is
        // prefilled alone in round 3 and steps with 6 rows.
        var forecast = forecaster.Forecast([7], queuedAhead: 4, firstChunkTokens: 3);

        Assert.Equal((30 + 30) + (30 + 50) + 20 + (2 * 60), forecast!.Value.TotalMilliseconds, 6);
    }

    [Fact]
    public void Forecast_AllSlotsTaken_WaitsForTheSequenceNearestItsUsualEnd()
    {
        var forecaster = new FirstChunkForecaster(maxActive: 2, maxPrefill: 2);
        forecaster.ObservePrefill(1, TimeSpan.FromMilliseconds(20));
        forecaster.ObserveStep(2, Ms10);
        forecaster.ObserveLength(100);

        // Sequences at 30 and 90 tokens of a usual 100: the second frees its slot in 10 steps.
        var first = forecaster.Forecast([30, 90], queuedAhead: 0, firstChunkTokens: 5);
        // The next in line waits for the other one: 70 steps.
        var second = forecaster.Forecast([30, 90], queuedAhead: 1, firstChunkTokens: 5);

        Assert.Equal((10 * 10) + 20 + (4 * 10), first!.Value.TotalMilliseconds, 6);
        Assert.Equal((70 * 10) + 20 + (4 * 10), second!.Value.TotalMilliseconds, 6);
    }

    [Fact]
    public void Forecast_AllSlotsTakenAndNoLengthKnown_IsUnknown()
    {
        var forecaster = new FirstChunkForecaster(maxActive: 1, maxPrefill: 1);
        forecaster.ObservePrefill(1, Ms10);
        forecaster.ObserveStep(1, Ms10);

        Assert.Null(forecaster.Forecast([3], queuedAhead: 0, firstChunkTokens: 5));
    }
}
