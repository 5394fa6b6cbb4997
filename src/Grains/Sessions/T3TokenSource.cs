using Sawt.Contracts.Sessions;
using Sawt.Contracts.Workers;
using Sawt.Inference.Streaming;
using Sawt.Inference.Text.Segmentation;

namespace Sawt.Grains.Sessions;

/// <summary>A session's tokens from its T3 worker grain: one <see cref="IT3WorkerGrain.Generate"/> call per segment.</summary>
internal sealed class T3TokenSource(WorkerChoice<IT3WorkerGrain> t3, string language, string voiceId, string voiceRevision, SamplingSettings sampling) : ISegmentTokenSource
{
    public ISegmentTokenStream Start(SpeechSegment segment, CancellationToken cancellationToken)
    {
        var job = new T3Job(segment.Text, language, voiceId, sampling, voiceRevision);
        return new T3TokenStream(t3, worker => worker.Generate(job, cancellationToken).GetAsyncEnumerator(cancellationToken), cancellationToken);
    }
}
