using Sawt.Inference.Sampling;
using Sawt.Inference.Text;
using Sawt.Inference.Voices;

namespace Sawt.Inference.Generation;

/// <summary>What one T3 sequence needs: template ids, the voice and the sampling options.</summary>
public sealed record GenerationRequest(TokenizedText Text, VoiceConditionals Voice, SamplingOptions Sampling)
{
    /// <summary>
    /// A later segment of an utterance already admitted: the scheduler queues it whatever its load, so an utterance
    /// that has started speaking is not cut off between sentences. Bounded by the utterances admitted.
    /// </summary>
    public bool Continuation { get; init; }

    /// <summary>
    /// This request's target for its first chunk of tokens, in milliseconds, instead of the scheduler's
    /// <see cref="T3SchedulerOptions.FirstChunkTargetMilliseconds"/>: the caller knows how much of the first-audio target
    /// its decoder will take now. Null uses the scheduler's.
    /// </summary>
    public double? FirstChunkTargetMilliseconds { get; init; }
}
