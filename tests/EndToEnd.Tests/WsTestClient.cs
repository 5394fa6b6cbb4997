using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sawt.EndToEnd.Tests;

/// <summary>A real WebSocket client speaking the /v1/ws protocol: JSON out, JSON and paired binary audio in.</summary>
internal sealed class WsTestClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private HttpMessageInvoker? _invoker;

    public static async Task<WsTestClient> ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        var client = new WsTestClient();
        await client._socket.ConnectAsync(uri, cancellationToken);
        return client;
    }

    /// <summary>
    /// Connects with the TCP receive buffer fixed at <paramref name="receiveBufferBytes"/> (no auto-tuning), so a client
    /// that stops reading holds back the server after little data instead of after megabytes.
    /// </summary>
    public static async Task<WsTestClient> ConnectAsync(Uri uri, int receiveBufferBytes, CancellationToken cancellationToken)
    {
        var client = new WsTestClient();
        client._invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = receiveBufferBytes };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        });
        await client._socket.ConnectAsync(uri, client._invoker, cancellationToken);
        return client;
    }

    public Task SendAsync(object message, CancellationToken cancellationToken) =>
        SendRawAsync(JsonSerializer.Serialize(message), cancellationToken);

    public Task SendRawAsync(string text, CancellationToken cancellationToken) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);

    /// <summary>Sends one frame as given: bytes that need not be UTF-8, or a binary frame.</summary>
    public Task SendFrameAsync(byte[] payload, WebSocketMessageType type, CancellationToken cancellationToken) =>
        _socket.SendAsync(payload, type, true, cancellationToken);

    /// <summary>The server's close status, once it closed.</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseStatusDescription => _socket.CloseStatusDescription;

    /// <summary>The socket's state (Aborted once the connection failed under a read).</summary>
    public WebSocketState State => _socket.State;

    /// <summary>The next whole frame of any type; a close is returned as a frame of type Close (see <see cref="CloseStatus"/>).</summary>
    public async Task<(WebSocketMessageType Type, byte[] Payload)> NextFrameAsync(CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var result = await _socket.ReceiveAsync(chunk, cancellationToken);
            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
            {
                return (result.MessageType, buffer.ToArray());
            }
        }
    }

    /// <summary>The next server message; for <c>audio</c>, its paired binary frame is read into <see cref="ServerMessage.Audio"/>.</summary>
    public async Task<ServerMessage> ReceiveAsync(CancellationToken cancellationToken)
    {
        var (type, payload) = await ReceiveFrameAsync(cancellationToken);
        if (type != WebSocketMessageType.Text)
        {
            throw new InvalidOperationException($"Expected a text frame, got {type} ({payload.Length} bytes).");
        }

        var json = JsonNode.Parse(payload)!.AsObject();
        byte[]? audio = null;
        if ((string?)json["type"] == "audio")
        {
            var (binaryType, bytes) = await ReceiveFrameAsync(cancellationToken);
            if (binaryType != WebSocketMessageType.Binary)
            {
                throw new InvalidOperationException("An audio message was not followed by its binary frame.");
            }

            audio = bytes;
        }

        return new ServerMessage(json, audio);
    }

    /// <summary>Reads messages until one matches (returned), with the test's token bounding the wait.</summary>
    public async Task<ServerMessage> ReceiveUntilAsync(Func<ServerMessage, bool> match, CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var message = await ReceiveAsync(bound.Token);
            if (match(message))
            {
                return message;
            }
        }
    }

    /// <summary>Drops the connection without a close handshake, as a crashed client would.</summary>
    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The server may already be gone.
        }

        _socket.Dispose();
        _invoker?.Dispose();
    }

    private async Task<(WebSocketMessageType Type, byte[] Payload)> ReceiveFrameAsync(CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var result = await _socket.ReceiveAsync(chunk, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"The server closed the socket: {result.CloseStatus} {result.CloseStatusDescription}");
            }

            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, buffer.ToArray());
            }
        }
    }
}

/// <summary>One server message with, for audio, its bytes.</summary>
internal sealed record ServerMessage(JsonObject Json, byte[]? Audio)
{
    public string Type => (string)Json["type"]!;

    public string? ContextId => (string?)Json["context_id"];
}
