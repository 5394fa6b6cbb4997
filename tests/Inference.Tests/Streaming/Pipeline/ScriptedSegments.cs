using System.Diagnostics.CodeAnalysis;
using Sawt.Inference.Streaming;
using Sawt.Inference.Text.Segmentation;

namespace Sawt.Inference.Tests.Streaming.Pipeline;

/// <summary>
/// Segments named by their text ("A", "B", ...). <paramref name="ready"/> can be read at once; each of
/// <paramref name="later"/> arrives only when the pipeline waits for input; the end of input is known up front when
/// <paramref name="endKnown"/> is set, otherwise only a wait finds it.
/// </summary>
internal sealed class ScriptedSegments(CallLog log, string[] ready, string[]? later = null, bool endKnown = true) : ISegmentSource
{
    private readonly Queue<SpeechSegment> _ready = new(ready.Select(Make));
    private readonly Queue<SpeechSegment> _later = new((later ?? []).Select(Make));

    public bool IsCompleted => endKnown && _ready.Count == 0 && _later.Count == 0;

    /// <summary>Every segment in this script: text "A" at offset 0 length 1, "B" at 1, ... so each span names its segment.</summary>
    public static SpeechSegment Make(string text) => new(text, text[0] - 'A', text.Length, SegmentBoundary.Sentence);

    public bool TryRead([MaybeNullWhen(false)] out SpeechSegment segment) => _ready.TryDequeue(out segment);

    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_ready.Count > 0)
        {
            return ValueTask.FromResult(true);
        }

        if (_later.TryDequeue(out var arrived))
        {
            log.Add($"arrive {arrived.Text}");
            _ready.Enqueue(arrived);
            return ValueTask.FromResult(true);
        }

        log.Add("input ended");
        return ValueTask.FromResult(false);
    }
}
