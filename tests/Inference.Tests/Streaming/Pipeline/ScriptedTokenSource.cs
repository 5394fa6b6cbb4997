using Sawt.Inference.Streaming;
using Sawt.Inference.Text.Segmentation;

namespace Sawt.Inference.Tests.Streaming.Pipeline;

/// <summary>Generates each segment by its <see cref="TokenScript"/>; keeps every stream it started.</summary>
internal sealed class ScriptedTokenSource(CallLog log, IReadOnlyDictionary<string, TokenScript> scripts) : ISegmentTokenSource
{
    private readonly List<ScriptedTokenStream> _started = [];

    private readonly List<(string Segment, bool Continuation)> _continuations = [];

    public IReadOnlyList<ScriptedTokenStream> Started => _started;

    /// <summary>Each started segment and whether the pipeline started it as a continuation of the utterance.</summary>
    public IReadOnlyList<(string Segment, bool Continuation)> Continuations => _continuations;

    public ISegmentTokenStream Start(SpeechSegment segment, bool continuation, CancellationToken cancellationToken)
    {
        log.Add($"start {segment.Text}");
        _continuations.Add((segment.Text, continuation));
        var stream = new ScriptedTokenStream(log, segment.Text, scripts[segment.Text], cancellationToken);
        _started.Add(stream);
        return stream;
    }
}
