using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Sampling;

[Trait("Category", "Unit")]
public sealed class RepetitionGuardTests
{
    [Fact]
    public void Observe_DefaultRule_StopsWhenLastTwoMatchAfterThreeTokens()
    {
        var guard = new RepetitionGuard();

        Assert.Equal(StopReason.None, guard.Observe(6561));
        Assert.Equal(StopReason.None, guard.Observe(10));
        Assert.Equal(StopReason.None, guard.Observe(11));
        Assert.Equal(StopReason.TokenRepetition, guard.Observe(11));
        Assert.Equal(4, guard.TokensSeen);
    }

    [Fact]
    public void Observe_DefaultRuleRepeatWithinFirstTwo_WaitsForThirdToken()
    {
        var guard = new RepetitionGuard();

        Assert.Equal(StopReason.None, guard.Observe(5));
        Assert.Equal(StopReason.None, guard.Observe(5));
        Assert.Equal(StopReason.TokenRepetition, guard.Observe(5));
    }

    [Fact]
    public void Observe_DefaultRuleNoRepeats_NeverStops()
    {
        var guard = new RepetitionGuard();

        for (var token = 0; token < 100; token++)
        {
            Assert.Equal(StopReason.None, guard.Observe(token % 3));
        }
    }

    [Fact]
    public void Observe_RunLengthFour_ToleratesShorterRuns()
    {
        var guard = new RepetitionGuard(repeatRunLength: 4);
        long[] tokens = [1, 2, 2, 2, 3, 3, 3, 4, 4, 4];

        Assert.All(tokens, token => Assert.Equal(StopReason.None, guard.Observe(token)));
        Assert.Equal(StopReason.TokenRepetition, guard.Observe(4));
        Assert.Equal(4, guard.RepeatRunLength);
    }

    [Fact]
    public void Reset_AfterStop_StartsOver()
    {
        var guard = new RepetitionGuard();
        guard.Observe(1);
        guard.Observe(1);
        Assert.Equal(StopReason.TokenRepetition, guard.Observe(1));

        guard.Reset();

        Assert.Equal(0, guard.TokensSeen);
        Assert.Equal(StopReason.None, guard.Observe(1));
        Assert.Equal(StopReason.None, guard.Observe(1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void Constructor_RunLengthBelowTwo_Throws(int runLength)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RepetitionGuard(runLength));
    }
}
