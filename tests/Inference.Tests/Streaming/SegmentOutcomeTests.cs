using Sawt.Inference.Sampling;
using Sawt.Inference.Streaming;

namespace Sawt.Inference.Tests.Streaming;

[Trait("Category", "Unit")]
public sealed class SegmentOutcomeTests
{
    [Fact]
    public void Combine_FirstSegmentCutShort_WinsOverLaterOnes()
    {
        var outcome = Fold(
            new SegmentOutcome(StopReason.EndOfSpeech, AlignmentWarnings.None),
            new SegmentOutcome(StopReason.LongTail, AlignmentWarnings.FalseStart),
            new SegmentOutcome(StopReason.AlignmentRepetition, AlignmentWarnings.Discontinuity),
            new SegmentOutcome(StopReason.EndOfSpeech, AlignmentWarnings.None));
        Assert.Equal(StopReason.LongTail, outcome.StopReason);
        Assert.Equal(AlignmentWarnings.FalseStart | AlignmentWarnings.Discontinuity, outcome.AlignmentWarnings);
    }

    [Fact]
    public void Combine_AllEndedThemselves_EndOfSpeech()
    {
        var outcome = Fold(new SegmentOutcome(StopReason.EndOfSpeech, AlignmentWarnings.None), new SegmentOutcome(StopReason.EndOfSpeech, AlignmentWarnings.None));
        Assert.Equal(StopReason.EndOfSpeech, outcome.StopReason);
        Assert.Equal(AlignmentWarnings.None, outcome.AlignmentWarnings);
    }

    [Fact]
    public void Names_AreTheDocumentedWireValues()
    {
        Assert.Equal("long_tail", StopReasonNames.Of(StopReason.LongTail));
        Assert.Equal("alignment_repetition", StopReasonNames.Of(StopReason.AlignmentRepetition));
        Assert.Equal("token_repetition", StopReasonNames.Of(StopReason.TokenRepetition));
        Assert.Equal("end_of_speech", StopReasonNames.Of(StopReason.EndOfSpeech));
        Assert.Null(StopReasonNames.Of(StopReason.None));
        Assert.Equal(["false_start", "discontinuity"], StopReasonNames.Of(AlignmentWarnings.FalseStart | AlignmentWarnings.Discontinuity));
        Assert.Empty(StopReasonNames.Of(AlignmentWarnings.None));
    }

    private static SegmentOutcome Fold(params SegmentOutcome[] segments)
    {
        SegmentOutcome? outcome = null;
        foreach (var segment in segments)
        {
            outcome = SegmentOutcome.Combine(outcome, segment);
        }

        return outcome!;
    }
}
