using System.Threading.Channels;
using Sawt.Inference.Sampling;
using Sawt.Inference.Text.Segmentation;
using Sawt.Inference.Voices;

namespace Sawt.Inference.Streaming;

/// <summary>
/// Incremental text in, one audio stream out, for LLM-driven bots: <see cref="AppendText"/> pieces as they
/// arrive (split anywhere, even mid-word or mid-number), <see cref="Flush"/> to speak what is buffered now,
/// <see cref="Complete"/> at the end of input. Speaking starts at the first safe boundary; text order and
/// audio order always agree. Writers may call from any thread; read the audio once with <see cref="ReadAllAsync"/>.
/// </summary>
public sealed class SynthesisContext : IAsyncDisposable
{
    private const int MaxQueuedSegments = 256;
    private readonly Lock _gate = new();
    private readonly IncrementalTextBuffer _buffer;
    private readonly Channel<SpeechSegment> _segments = Channel.CreateBounded<SpeechSegment>(new BoundedChannelOptions(MaxQueuedSegments) { SingleReader = true });
    private readonly TtsEngine _engine;
    private readonly string _language;
    private readonly VoiceConditionals _voice;
    private readonly SamplingOptions _sampling;
    private readonly StreamingOptions _streaming;
    private int _reading;

    internal SynthesisContext(TtsEngine engine, string language, VoiceConditionals voice, SamplingOptions sampling, StreamingOptions streaming, SegmentationOptions? segmentation)
    {
        _engine = engine;
        _language = SupportedLanguagesGuard(language);
        _voice = voice;
        _sampling = sampling;
        _streaming = streaming;
        sampling.Validate();
        streaming.Validate();
        _buffer = new IncrementalTextBuffer(_language, segmentation);
    }

    /// <summary>Adds a piece of text. Throws <c>text_too_long</c> when too much is buffered without a boundary.</summary>
    public void AppendText(string piece)
    {
        ArgumentNullException.ThrowIfNull(piece);
        lock (_gate)
        {
            _buffer.Append(piece);
            Publish();
        }
    }

    /// <summary>Speaks everything buffered so far without waiting for a boundary.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            _buffer.Flush();
            Publish();
        }
    }

    /// <summary>End of input: the rest is spoken and the stream ends with a final chunk.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_buffer.IsCompleted)
            {
                return;
            }

            _buffer.Complete();
            Publish();
            _segments.Writer.TryComplete();
        }
    }

    /// <summary>The audio, in order, ending with a chunk whose IsFinal is set. Call once.</summary>
    public IAsyncEnumerable<AudioChunk> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _reading, 1) == 1)
        {
            throw new InvalidOperationException("A synthesis context's audio can be read once.");
        }

        return new SpeechStreamer(_engine).StreamAsync(_segments.Reader.ReadAllAsync(cancellationToken), _language, _voice, _sampling, _streaming, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _segments.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    private static string SupportedLanguagesGuard(string language) => Text.SupportedLanguages.Normalize(language);

    private void Publish()
    {
        foreach (var segment in _buffer.TakeReady())
        {
            if (!_segments.Writer.TryWrite(segment))
            {
                throw new InferenceException(InferenceErrorCode.TextTooLong,
                    $"More than {MaxQueuedSegments} text segments are waiting to be spoken; slow down or cancel.");
            }
        }
    }
}
