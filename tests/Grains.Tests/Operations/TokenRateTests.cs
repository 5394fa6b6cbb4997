using Microsoft.Extensions.Time.Testing;
using Sawt.Grains.Workers;

namespace Sawt.Grains.Tests.Operations;

/// <summary>A worker's tokens per second from its running total, on a <see cref="FakeTimeProvider"/>.</summary>
[Trait("Category", "Unit")]
public sealed class TokenRateTests
{
    [Fact]
    public void Observe_RiseOverTime_IsTheRate()
    {
        var time = new FakeTimeProvider();
        var rate = new TokenRate(time);

        Assert.Equal(0, rate.Observe(1000));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(150, rate.Observe(1300));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, rate.Observe(1300));
    }

    [Fact]
    public void Observe_TooSoonAfterTheLastSample_KeepsTheLastRate()
    {
        var time = new FakeTimeProvider();
        var rate = new TokenRate(time);
        rate.Observe(0);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(100, rate.Observe(100));

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(100, rate.Observe(150));

        // The early sample was no baseline: the next rate is measured from the last one taken (100 tokens, 1 s ago).
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(200, rate.Observe(300), 6);
    }

    [Fact]
    public void Observe_TotalRestarts_StartsOver()
    {
        var time = new FakeTimeProvider();
        var rate = new TokenRate(time);
        rate.Observe(500);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0, rate.Observe(10));
    }
}
