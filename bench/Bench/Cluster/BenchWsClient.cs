using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sawt.Bench.Cluster;

/// <summary>
/// A minimal /v1/ws client (copied from the end-to-end tests' client, see docs/protocol.md): JSON out, JSON and
/// paired binary audio in. One sender and one receiver at a time.
/// </summary>
internal sealed class BenchWsClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly byte[] _chunk = new byte[16 * 1024];

    public static async Task<BenchWsClient> ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        var client = new BenchWsClient();
        await client._socket.ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
        return client;
    }

    public Task SendAsync(object message, CancellationToken cancellationToken) =>
        _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, cancellationToken);

    /// <summary>The next server message; for <c>audio</c>, its paired binary frame is read into <see cref="WsMessage.Audio"/>.</summary>
    public async Task<WsMessage> ReceiveAsync(CancellationToken cancellationToken)
    {
        var (type, payload) = await ReceiveFrameAsync(cancellationToken).ConfigureAwait(false);
        if (type != WebSocketMessageType.Text)
        {
            throw new InvalidOperationException($"Expected a text frame, got {type} ({payload.Length} bytes).");
        }

        var json = JsonNode.Parse(payload)!.AsObject();
        byte[]? audio = null;
        if ((string?)json["type"] == "audio")
        {
            var (binaryType, bytes) = await ReceiveFrameAsync(cancellationToken).ConfigureAwait(false);
            if (binaryType != WebSocketMessageType.Binary)
            {
                throw new InvalidOperationException("An audio message was not followed by its binary frame.");
            }

            audio = bytes;
        }

        return new WsMessage(json, audio);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The server may already be gone; the bench is over for this socket either way.
        }

        _socket.Dispose();
    }

    private async Task<(WebSocketMessageType Type, byte[] Payload)> ReceiveFrameAsync(CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(_chunk, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"The server closed the socket: {result.CloseStatus} {result.CloseStatusDescription}");
            }

            buffer.Write(_chunk, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, buffer.ToArray());
            }
        }
    }
}

/// <summary>One server message with, for audio, its bytes.</summary>
internal sealed record WsMessage(JsonObject Json, byte[]? Audio)
{
    public string Type => (string)Json["type"]!;

    public string? ContextId => (string?)Json["context_id"];
}
