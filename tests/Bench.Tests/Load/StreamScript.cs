using Sawt.Bench.Load;
using Sawt.Protocol;

namespace Sawt.Bench.Tests.Load;

/// <summary>
/// Builds one socket's frames by hand, as the gateway would send them: <see cref="Chunk"/> writes an <c>audio</c>
/// message and its binary frame (pcm_f32le at 24 kHz, whole tokens of 960 samples). Timestamps count up by one.
/// </summary>
internal sealed class StreamScript
{
    public const int BytesPerToken = StreamVerifier.SamplesPerToken * 4;

    private readonly List<RecordedFrame> _frames = [];
    private long _clock;

    public IReadOnlyList<RecordedFrame> Frames => _frames;

    public StreamScript Started(string context) => Text(new StartedMessage(context, Guid.NewGuid()));

    /// <summary>An audio message of <paramref name="tokens"/> tokens' samples and its frame (of <paramref name="frameBytes"/> bytes when given).</summary>
    public StreamScript Chunk(string context, int sequence, int tokens = 2, bool isFinal = false, int? frameBytes = null)
    {
        AudioOnly(context, sequence, tokens, isFinal);
        return Binary(frameBytes ?? (tokens * BytesPerToken));
    }

    /// <summary>An audio message without its binary frame.</summary>
    public StreamScript AudioOnly(string context, int sequence, int tokens = 2, bool isFinal = false)
    {
        var bytes = tokens * BytesPerToken;
        var ms = tokens * 40.0;
        return Text(new AudioMessage(context, sequence, "pcm_f32le", 24000, bytes, 0, ms, 0, 1, isFinal));
    }

    public StreamScript Binary(int bytes)
    {
        _frames.Add(RecordedFrame.Binary(++_clock, bytes));
        return this;
    }

    /// <summary><c>done</c> whose figures match <paramref name="chunks"/> chunks of <paramref name="tokensPerChunk"/> tokens, one token cut after STOP.</summary>
    public StreamScript Done(string context, int chunks, int tokensPerChunk = 2, int? tokens = null, double? audioMs = null) =>
        Text(new DoneMessage(context, 100, 0.5, tokens ?? ((chunks * tokensPerChunk) + 1), audioMs ?? (chunks * tokensPerChunk * 40.0), chunks));

    public StreamScript Error(string context, string code, bool ended) =>
        Text(new ErrorMessage(context, ended, code, "scripted", code == ErrorCodes.Busy, code == ErrorCodes.Busy ? 500 : null));

    public StreamScript Cancelled(string context) => Text(new CancelledMessage(context));

    public StreamScript Text(ServerMessage message)
    {
        _frames.Add(RecordedFrame.Text(++_clock, message));
        return this;
    }

    /// <summary>A well-formed stream: started, <paramref name="chunks"/> chunks of 2 tokens (the last final), done.</summary>
    public StreamScript Complete(string context, int chunks = 3)
    {
        Started(context);
        for (var i = 0; i < chunks; i++)
        {
            Chunk(context, i, isFinal: i == chunks - 1);
        }

        return Done(context, chunks);
    }
}
