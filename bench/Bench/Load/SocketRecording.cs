using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Sawt.Protocol;

namespace Sawt.Bench.Load;

/// <summary>
/// Everything one load socket received, in order, and the context ids the generator opened on it; the input of
/// <see cref="StreamVerifier"/>. Text frames are parsed here, independently of the client's own reading, so the
/// verifier checks the wire, not the client's view of it.
/// </summary>
internal sealed class SocketRecording
{
    private readonly Lock _gate = new();
    private readonly List<RecordedFrame> _frames = [];
    private readonly List<string> _opened = [];

    /// <summary>A <see cref="Client.FrameObserver"/>: called on the connection's reading loop.</summary>
    public void Observe(WebSocketMessageType type, ReadOnlySpan<byte> payload)
    {
        var now = Stopwatch.GetTimestamp();
        RecordedFrame frame;
        if (type == WebSocketMessageType.Binary)
        {
            frame = RecordedFrame.Binary(now, payload.Length);
        }
        else
        {
            ServerMessage? message;
            try
            {
                message = JsonSerializer.Deserialize(payload, ProtocolJsonContext.Default.ServerMessage);
            }
            catch (Exception exception) when (exception is JsonException or NotSupportedException)
            {
                message = null;
            }

            frame = RecordedFrame.Text(now, message);
        }

        lock (_gate)
        {
            _frames.Add(frame);
        }
    }

    /// <summary>The generator sent a <c>synthesize</c> for <paramref name="contextId"/>.</summary>
    public void Opened(string contextId)
    {
        lock (_gate)
        {
            _opened.Add(contextId);
        }
    }

    public IReadOnlyList<RecordedFrame> Frames
    {
        get
        {
            lock (_gate)
            {
                return [.. _frames];
            }
        }
    }

    public IReadOnlyList<string> OpenedContexts
    {
        get
        {
            lock (_gate)
            {
                return [.. _opened];
            }
        }
    }
}
