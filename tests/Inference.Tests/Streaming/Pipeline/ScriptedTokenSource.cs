using Sawt.Inference.Streaming;
using Sawt.Inference.Text.Segmentation;

namespace Sawt.Inference.Tests.Streaming.Pipeline;

/// <summary>Generates each segment by its <see cref="TokenScript"/>; keeps every stream it started.</summary>
internal sealed class ScriptedTokenSource(CallLog log, IReadOnlyDictionary<string, TokenScript> scripts) : ISegmentTokenSource
{
    private readonly List<ScriptedTokenStream> _started = [];

    public IReadOnlyList<ScriptedTokenStream> Started => _started;

    public ISegmentTokenStream Start(SpeechSegment segment, CancellationToken cancellationToken)
    {
        log.Add($"start {segment.Text}");
        var stream = new ScriptedTokenStream(log, segment.Text, scripts[segment.Text], cancellationToken);
        _started.Add(stream);
        return stream;
    }
}
