using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace Sawt.Client.Tests.Infrastructure;

/// <summary>
/// A WebSocket whose server side the test plays: frames the test queues are what the client receives (each may be cut
/// into several fragments, as a real socket may deliver them), and what the client sends is read back as text.
/// <see cref="Drop"/> breaks it as a lost network would.
/// </summary>
internal sealed class ScriptedSocket : WebSocket
{
    private readonly Channel<Fragment> _incoming = Channel.CreateUnbounded<Fragment>();
    private readonly Channel<string> _sent = Channel.CreateUnbounded<string>();
    private Fragment? _partial;
    private WebSocketState _state = WebSocketState.Open;

    public override WebSocketCloseStatus? CloseStatus { get; }

    public override string? CloseStatusDescription { get; }

    public override WebSocketState State => _state;

    public override string? SubProtocol => null;

    /// <summary>Queues a JSON text frame, cut into <paramref name="fragments"/> pieces.</summary>
    public void ServerSendsText(string json, int fragments = 1) => Queue(WebSocketMessageType.Text, Encoding.UTF8.GetBytes(json), fragments);

    /// <summary>Queues a binary frame, cut into <paramref name="fragments"/> pieces.</summary>
    public void ServerSendsBinary(byte[] payload, int fragments = 1) => Queue(WebSocketMessageType.Binary, payload, fragments);

    /// <summary>The next text frame the client sent.</summary>
    public ValueTask<string> ClientSentAsync(CancellationToken cancellationToken) => _sent.Reader.ReadAsync(cancellationToken);

    /// <summary>The connection breaks: the client's pending and next receives fail.</summary>
    public void Drop() => _incoming.Writer.TryComplete(new WebSocketException(WebSocketError.ConnectionClosedPrematurely));

    public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        Fragment fragment;
        try
        {
            fragment = _partial ?? await _incoming.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException exception) when (exception.InnerException is WebSocketException dropped)
        {
            _state = WebSocketState.Aborted;
            throw dropped;
        }

        // A fragment larger than the caller's buffer is handed out in pieces, as a socket does.
        var count = Math.Min(buffer.Length, fragment.Payload.Length);
        fragment.Payload.AsMemory(0, count).CopyTo(buffer);
        var rest = fragment.Payload[count..];
        _partial = rest.Length > 0 ? fragment with { Payload = rest } : null;
        return new ValueWebSocketReceiveResult(count, fragment.Type, fragment.EndOfMessage && _partial is null);
    }

    public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The client uses the Memory overload.");

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        if (_state != WebSocketState.Open)
        {
            throw new WebSocketException(WebSocketError.InvalidState);
        }

        _sent.Writer.TryWrite(Encoding.UTF8.GetString(buffer.Span));
        return ValueTask.CompletedTask;
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        // The scripted server answers a close at once.
        _state = WebSocketState.CloseSent;
        _incoming.Writer.TryWrite(new Fragment(WebSocketMessageType.Close, [], true));
        return Task.CompletedTask;
    }

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override void Abort()
    {
        _state = WebSocketState.Aborted;
        _incoming.Writer.TryComplete(new WebSocketException(WebSocketError.ConnectionClosedPrematurely));
    }

    public override void Dispose()
    {
        if (_state == WebSocketState.Open)
        {
            _state = WebSocketState.Closed;
        }
    }

    private void Queue(WebSocketMessageType type, byte[] payload, int fragments)
    {
        var size = Math.Max(1, (payload.Length + fragments - 1) / fragments);
        var offset = 0;
        do
        {
            var piece = payload[offset..Math.Min(payload.Length, offset + size)];
            offset += piece.Length;
            _incoming.Writer.TryWrite(new Fragment(type, piece, offset >= payload.Length));
        }
        while (offset < payload.Length);
    }

    private sealed record Fragment(WebSocketMessageType Type, byte[] Payload, bool EndOfMessage);
}
