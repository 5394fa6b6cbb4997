using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Sampling;

[Trait("Category", "Unit")]
public sealed class SpeechTokenPostProcessorTests
{
    [Fact]
    public void Finalize_EmittedStop_DropsStartAndStop()
    {
        Assert.Equal([1L, 2L, 3L], SpeechTokenPostProcessor.Finalize([6561, 1, 2, 3, 6562], emittedStop: true));
    }

    [Fact]
    public void Finalize_CappedRun_KeepsLastToken()
    {
        Assert.Equal([1L, 2L, 3L], SpeechTokenPostProcessor.Finalize([6561, 1, 2, 3], emittedStop: false));
    }

    [Fact]
    public void Finalize_EmittedStopNotInList_KeepsLastRealToken()
    {
        // T3Sequence.Tokens never records STOP: nothing positional may be dropped.
        Assert.Equal([1L, 2L, 3L], SpeechTokenPostProcessor.Finalize([1, 2, 3], emittedStop: true));
    }

    [Fact]
    public void Finalize_SpecialIdsMidSequence_AreDropped()
    {
        long[] generated = [6561, 5, 6563, 6561, 7, 8193, 0, 6560, 6562];

        Assert.Equal([5L, 7L, 0L, 6560L], SpeechTokenPostProcessor.Finalize(generated, emittedStop: true));
    }

    [Fact]
    public void Finalize_Empty_ReturnsEmpty()
    {
        Assert.Empty(SpeechTokenPostProcessor.Finalize([], emittedStop: false));
        Assert.Empty(SpeechTokenPostProcessor.Finalize([6561, 6562], emittedStop: true));
    }

    [Theory]
    [InlineData(0L, true)]
    [InlineData(6560L, true)]
    [InlineData(6561L, false)]
    [InlineData(6562L, false)]
    [InlineData(6563L, false)]
    [InlineData(8193L, false)]
    [InlineData(-1L, false)]
    public void IsSpeechToken_CodebookOnly(long id, bool expected)
    {
        Assert.Equal(expected, SpeechTokenPostProcessor.IsSpeechToken(id));
    }

    [Fact]
    public void Finalize_TrailingStopWithoutEmittedStop_Throws()
    {
        Assert.Throws<ArgumentException>(() => SpeechTokenPostProcessor.Finalize([1, 2, 6562], emittedStop: false));
    }
}
