using Microsoft.Extensions.Time.Testing;
using Sawt.Grains.Workers;

namespace Sawt.Grains.Tests.Admission;

/// <summary>A decoder worker's recent first-chunk cost, on a <see cref="FakeTimeProvider"/>.</summary>
[Trait("Category", "Unit")]
public sealed class FirstChunkCostsTests
{
    [Fact]
    public void Estimate_NoFirstChunkYet_IsNone()
    {
        Assert.Null(new FirstChunkCosts(new FakeTimeProvider()).EstimateMilliseconds());
    }

    [Fact]
    public void Estimate_TenRecentFirstChunks_IsTheNinthSlowest()
    {
        var time = new FakeTimeProvider();
        var costs = new FirstChunkCosts(time);

        // 100, 200, ... 1000 ms, out of order: nearest rank of 90 % of 10 is the 9th.
        foreach (var ms in new[] { 700, 100, 1000, 300, 900, 200, 500, 400, 800, 600 })
        {
            costs.Observe(TimeSpan.FromMilliseconds(ms));
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal(900, costs.EstimateMilliseconds());
    }

    [Fact]
    public void Estimate_OlderThanTheWindow_Forgotten()
    {
        var time = new FakeTimeProvider();
        var costs = new FirstChunkCosts(time);
        costs.Observe(TimeSpan.FromMilliseconds(1200)); // during a burst
        time.Advance(FirstChunkCosts.Window - TimeSpan.FromSeconds(1));
        costs.Observe(TimeSpan.FromMilliseconds(80)); // the queue has drained

        Assert.Equal(1200, costs.EstimateMilliseconds());

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(80, costs.EstimateMilliseconds());

        time.Advance(FirstChunkCosts.Window);
        Assert.Null(costs.EstimateMilliseconds());
    }

    [Fact]
    public void Observe_BeyondTheSampleBound_TheOldestGoFirst()
    {
        var time = new FakeTimeProvider();
        var costs = new FirstChunkCosts(time);
        costs.Observe(TimeSpan.FromMilliseconds(5000));
        for (var i = 0; i < FirstChunkCosts.MaxSamples; i++)
        {
            costs.Observe(TimeSpan.FromMilliseconds(50));
        }

        Assert.Equal(50, costs.EstimateMilliseconds());
    }
}
