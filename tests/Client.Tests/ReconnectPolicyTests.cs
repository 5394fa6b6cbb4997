namespace Sawt.Client.Tests;

[Trait("Category", "Unit")]
public sealed class ReconnectPolicyTests
{
    private static readonly ReconnectPolicy NoJitter = new()
    {
        InitialDelay = TimeSpan.FromMilliseconds(100),
        MaxDelay = TimeSpan.FromMilliseconds(1000),
        MaxAttempts = 5,
        Jitter = 0,
    };

    [Fact]
    public void DelayFor_EachAttempt_DoublesUntilTheCap()
    {
        var delays = Enumerable.Range(1, 6).Select(a => NoJitter.DelayFor(a, random: 0.5).TotalMilliseconds);

        Assert.Equal(new double[] { 100, 200, 400, 800, 1000, 1000 }, delays);
    }

    [Fact]
    public void DelayFor_FullJitter_ShortensByAtMostTheJitterFraction()
    {
        var policy = NoJitter with { Jitter = 0.25 };

        Assert.Equal(400, policy.DelayFor(3, random: 0).TotalMilliseconds);
        Assert.Equal(300, policy.DelayFor(3, random: 1).TotalMilliseconds);
    }

    [Fact]
    public void DelayFor_VeryLateAttempt_StaysAtTheCap()
    {
        Assert.Equal(NoJitter.MaxDelay, NoJitter.DelayFor(10_000, random: 0));
    }

    [Fact]
    public void Allows_UpToMaxAttempts_AndForeverWithoutOne()
    {
        Assert.True(NoJitter.Allows(5));
        Assert.False(NoJitter.Allows(6));
        Assert.False(ReconnectPolicy.None.Allows(1));
        Assert.True((NoJitter with { MaxAttempts = null }).Allows(int.MaxValue));
    }
}
