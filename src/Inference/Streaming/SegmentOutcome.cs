using Sawt.Inference.Sampling;

namespace Sawt.Inference.Streaming;

/// <summary>Why a segment's generation ended and what the alignment guard saw; carried by the segment's last chunk.</summary>
public sealed record SegmentOutcome(StopReason StopReason, AlignmentWarnings AlignmentWarnings)
{
    /// <summary>
    /// An utterance's outcome from its segments' in order: the first reason that is not <see cref="StopReason.EndOfSpeech"/>
    /// (a guard or the cap cut that segment short) wins, otherwise end of speech; warnings are the union.
    /// </summary>
    public static SegmentOutcome Combine(SegmentOutcome? soFar, SegmentOutcome next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (soFar is null)
        {
            return next;
        }

        var reason = soFar.StopReason is StopReason.EndOfSpeech or StopReason.None ? next.StopReason : soFar.StopReason;
        return new SegmentOutcome(reason, soFar.AlignmentWarnings | next.AlignmentWarnings);
    }
}
