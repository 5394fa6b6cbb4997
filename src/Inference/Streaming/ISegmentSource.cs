using System.Diagnostics.CodeAnalysis;
using Sawt.Inference.Text.Segmentation;

namespace Sawt.Inference.Streaming;

/// <summary>
/// The text segments of one utterance, in order, for <see cref="UtterancePipeline"/>: a whole text cut up front,
/// or incremental input that arrives while earlier segments are spoken. Read by one pipeline at a time.
/// </summary>
public interface ISegmentSource
{
    /// <summary>Takes the next segment if it is ready now, without waiting.</summary>
    bool TryRead([MaybeNullWhen(false)] out SpeechSegment segment);

    /// <summary>
    /// Nothing is ready and nothing more will come: the input has ended and every segment was read. False while
    /// that is not known yet (more text may still arrive).
    /// </summary>
    bool IsCompleted { get; }

    /// <summary>Waits until a segment can be read (true) or the input has ended with none left (false).</summary>
    ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken);
}
