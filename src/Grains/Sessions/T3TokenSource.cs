using Sawt.Contracts.Sessions;
using Sawt.Contracts.Workers;
using Sawt.Inference.Streaming;
using Sawt.Inference.Text.Segmentation;

namespace Sawt.Grains.Sessions;

/// <summary>
/// A session's tokens from its T3 worker grain: one <see cref="IT3WorkerGrain.Generate"/> call per segment, each
/// naming the session's span (<c>traceParent</c>, null when not traced) as its parent; a worker that goes away
/// (a draining silo) is swapped for another.
/// </summary>
internal sealed class T3TokenSource(WorkerChoice<IT3WorkerGrain> t3, string language, string voiceId, string voiceRevision, SamplingSettings sampling, string? traceParent = null) : ISegmentTokenSource
{
    public ISegmentTokenStream Start(SpeechSegment segment, bool continuation, CancellationToken cancellationToken)
    {
        var job = new T3Job(segment.Text, language, voiceId, sampling, voiceRevision, traceParent, continuation);
        return new T3TokenStream(t3, worker => worker.Generate(job, cancellationToken).GetAsyncEnumerator(cancellationToken), cancellationToken);
    }
}
