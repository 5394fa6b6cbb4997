using Sawt.Gateway.Audio;

namespace Sawt.Gateway.Tests.Audio;

/// <summary>The atempo chain for OpenAI's speed range: each stage within atempo's 0.5-100, the product the speed.</summary>
[Trait("Category", "Unit")]
public sealed class TempoFilterTests
{
    [Theory]
    [InlineData(0.25, "atempo=0.5,atempo=0.5")]
    [InlineData(0.3, "atempo=0.5,atempo=0.6")]
    [InlineData(0.5, "atempo=0.5")]
    [InlineData(1.5, "atempo=1.5")]
    [InlineData(4.0, "atempo=4")]
    public void For_SpeedInRange_ChainsStagesWhoseProductIsTheSpeed(double speed, string expected)
    {
        var filter = TempoFilter.For(speed);
        Assert.Equal(expected, filter);
        var product = filter.Split(',').Select(stage => double.Parse(stage["atempo=".Length..], System.Globalization.CultureInfo.InvariantCulture)).Aggregate(1.0, (a, b) => a * b);
        Assert.Equal(speed, product, 6);
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(4.01)]
    [InlineData(double.NaN)]
    public void For_SpeedOutOfRange_Throws(double speed) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TempoFilter.For(speed));
}
