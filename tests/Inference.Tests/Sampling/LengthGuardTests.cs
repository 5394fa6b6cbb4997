using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Sampling;

[Trait("Category", "Unit")]
public sealed class LengthGuardTests
{
    [Fact]
    public void Check_ShortText_UsesFloor()
    {
        var guard = new LengthGuard(textIds: 10);

        Assert.Equal(150, guard.MaxTokens);
        Assert.Equal(StopReason.None, guard.Check(150));
        Assert.Equal(StopReason.LongTail, guard.Check(151));
    }

    [Fact]
    public void Check_LongText_ScalesWithTextIds()
    {
        var guard = new LengthGuard(textIds: 40);

        Assert.Equal(480, guard.MaxTokens);
        Assert.Equal(StopReason.None, guard.Check(0));
        Assert.Equal(StopReason.None, guard.Check(480));
        Assert.Equal(StopReason.LongTail, guard.Check(481));
    }

    [Fact]
    public void Constructor_CustomCeiling_RoundsUp()
    {
        var guard = new LengthGuard(textIds: 3, tokensPerTextId: 2.5, floor: 1);

        Assert.Equal(8, guard.MaxTokens);
        Assert.Equal(2.5, guard.TokensPerTextId);
        Assert.Equal(1, guard.Floor);
    }

    [Fact]
    public void MaxTokens_Defaults_NeverExceedContractStepCap()
    {
        for (var textIds = 1; textIds <= 2050; textIds++)
        {
            Assert.True(new LengthGuard(textIds).MaxTokens <= Math.Max(150, 25 * textIds));
        }
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LengthGuard(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LengthGuard(5, tokensPerTextId: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LengthGuard(5, tokensPerTextId: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LengthGuard(5, floor: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LengthGuard(5).Check(-1));
    }
}
