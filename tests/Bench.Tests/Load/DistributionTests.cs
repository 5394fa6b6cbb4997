using Sawt.Bench.Load;

namespace Sawt.Bench.Tests.Load;

/// <summary>The load report's percentiles.</summary>
[Trait("Category", "Unit")]
public sealed class DistributionTests
{
    [Fact]
    public void From_OneToAHundred_InterpolatesBetweenRanks()
    {
        // Shuffled on purpose: the distribution sorts.
        var samples = Enumerable.Range(1, 100).Select(i => (double)i).Reverse();

        var d = Distribution.From(samples);

        Assert.Equal(100, d.Count);
        Assert.Equal(50.5, d.P50, 9);
        Assert.Equal(95.05, d.P95, 9);
        Assert.Equal(99.01, d.P99, 9);
        Assert.Equal(50.5, d.Mean, 9);
        Assert.Equal(100, d.Max);
    }

    [Fact]
    public void From_OneSample_IsThatSampleEverywhere()
    {
        var d = Distribution.From([7.0]);

        Assert.Equal((1, 7.0, 7.0, 7.0, 7.0), (d.Count, d.P50, d.P95, d.P99, d.Max));
    }

    [Fact]
    public void From_NoSamples_IsEmptyNotAnError()
    {
        var d = Distribution.From([]);

        Assert.Equal(0, d.Count);
        Assert.True(double.IsNaN(d.P50));
    }
}
