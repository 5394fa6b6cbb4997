using Sawt.Inference.Sampling;

namespace Sawt.Inference.Generation;

/// <summary>How a sequence's generation ended, with its timings.</summary>
public sealed record GenerationSummary(StopReason StopReason, int SpeechTokens, TimeSpan QueueTime, TimeSpan TimeToFirstToken, TimeSpan Total)
{
    /// <summary>What the alignment guard (v2 graphs) saw without stopping generation.</summary>
    public AlignmentWarnings AlignmentWarnings { get; init; }
}
