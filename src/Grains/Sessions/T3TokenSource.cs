using Sawt.Contracts.Sessions;
using Sawt.Contracts.Workers;
using Sawt.Inference.Streaming;
using Sawt.Inference.Text.Segmentation;

namespace Sawt.Grains.Sessions;

/// <summary>
/// A session's tokens from its T3 worker grain: one <see cref="IT3WorkerGrain.Generate"/> call per segment, each
/// naming the session's span (<c>traceParent</c>, null when not traced) as its parent and what the session's decoder
/// worker reported a first chunk costs there (<paramref name="firstDecodeMilliseconds"/>); a worker that goes away
/// (a draining silo) is swapped for another. The first segment can be started ahead, while the session starts, so a
/// refusal reaches the client before <c>started</c> (<see cref="AdmitFirstAsync"/>).
/// </summary>
internal sealed class T3TokenSource(WorkerChoice<IT3WorkerGrain> t3, string language, string voiceId, string voiceRevision, SamplingSettings sampling, string? traceParent = null, double? firstDecodeMilliseconds = null) : ISegmentTokenSource, IAsyncDisposable
{
    private (SpeechSegment Segment, T3TokenStream Stream)? _admitted;

    /// <summary>
    /// Starts <paramref name="segment"/>, the utterance's first, and waits until the worker admitted it; the stream is
    /// kept for the pipeline's <see cref="Start"/> of that segment. Throws the worker's refusal (<c>busy</c> with its
    /// retry hint) or whatever else ended the segment first, leaving nothing started.
    /// </summary>
    public async Task AdmitFirstAsync(SpeechSegment segment, CancellationToken cancellationToken)
    {
        var stream = Create(segment, continuation: false, reportAdmission: true, cancellationToken);
        try
        {
            await stream.AdmittedAsync();
        }
        catch (Exception)
        {
            await stream.DisposeAsync();
            throw;
        }

        _admitted = (segment, stream);
    }

    public ISegmentTokenStream Start(SpeechSegment segment, bool continuation, CancellationToken cancellationToken)
    {
        // The same segment object the session queued: the stream started ahead is its generation.
        if (_admitted is { } admitted && ReferenceEquals(admitted.Segment, segment))
        {
            _admitted = null;
            return admitted.Stream;
        }

        return Create(segment, continuation, reportAdmission: false, cancellationToken);
    }

    /// <summary>Drops a segment admitted ahead that the pipeline never took (the session ended before it began).</summary>
    public ValueTask DisposeAsync()
    {
        var admitted = _admitted;
        _admitted = null;
        return admitted is { } a ? a.Stream.DisposeAsync() : ValueTask.CompletedTask;
    }

    private T3TokenStream Create(SpeechSegment segment, bool continuation, bool reportAdmission, CancellationToken cancellationToken)
    {
        var job = new T3Job(segment.Text, language, voiceId, sampling, voiceRevision, traceParent, continuation, firstDecodeMilliseconds, reportAdmission);
        return new T3TokenStream(t3, worker => worker.Generate(job, cancellationToken).GetAsyncEnumerator(cancellationToken), cancellationToken);
    }
}
