using Sawt.Inference.Text.Segmentation;

namespace Sawt.Inference.Streaming;

/// <summary>
/// Where an utterance's speech tokens come from, per segment: the engine's scheduler in process, or a T3 worker
/// grain in the cluster. Language, voice and sampling are bound when the source is made.
/// </summary>
public interface ISegmentTokenSource
{
    /// <summary>
    /// Starts generating <paramref name="segment"/> now (the pipeline calls it early, so the next segment generates
    /// while the current one is still decoded). Cancelling <paramref name="cancellationToken"/> drops the generation.
    /// The caller disposes the returned stream.
    /// </summary>
    /// <param name="segment">The text to speak.</param>
    /// <param name="continuation">
    /// A later segment of an utterance already under way: the generator admits it whatever its load, so an utterance
    /// that has started speaking is not cut off between sentences. Only an utterance's first segment is subject to
    /// admission.
    /// </param>
    /// <param name="cancellationToken">Drops the generation.</param>
    ISegmentTokenStream Start(SpeechSegment segment, bool continuation, CancellationToken cancellationToken);
}
