using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Sawt.Gateway.Tests.Infrastructure;

/// <summary>One received WebSocket message: JSON text or binary.</summary>
internal sealed record Received(JsonElement? Json, byte[]? Binary)
{
    public string? Type => Json is { } j && j.TryGetProperty("type", out var t) ? t.GetString() : null;

    public string? ContextId => Json is { } j && j.TryGetProperty("context_id", out var c) ? c.GetString() : null;

    public string? Code => Json is { } j && j.TryGetProperty("code", out var c) ? c.GetString() : null;

    public JsonElement Get(string name) => Json!.Value.GetProperty(name);
}

/// <summary>A real <see cref="ClientWebSocket"/> speaking JSON control frames.</summary>
internal sealed class ProtocolClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    public WebSocket Socket => _socket;

    public static async Task<ProtocolClient> ConnectAsync(Uri uri)
    {
        var client = new ProtocolClient();
        await client._socket.ConnectAsync(uri, TestContext.Current.CancellationToken);
        return client;
    }

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);

    public Task SendBinaryAsync(byte[] data) =>
        _socket.SendAsync(data, WebSocketMessageType.Binary, true, TestContext.Current.CancellationToken);

    /// <summary>The next message, or null when the server closed; fails after <paramref name="timeout"/>.</summary>
    public async Task<Received?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return result.MessageType == WebSocketMessageType.Text
                    ? new Received(JsonDocument.Parse(message.ToArray()).RootElement.Clone(), null)
                    : new Received(null, message.ToArray());
            }
        }
    }

    /// <summary>The next JSON message (fails on binary or close).</summary>
    public async Task<Received> ReceiveJsonAsync(TimeSpan? timeout = null)
    {
        var received = await ReceiveAsync(timeout);
        Assert.NotNull(received);
        Assert.NotNull(received.Json);
        return received;
    }

    /// <summary>
    /// Reads until every listed context ended (done, error or cancelled), checking that each audio message is
    /// followed by exactly its binary frame. Returns the messages per context in arrival order.
    /// </summary>
    public async Task<Dictionary<string, List<Received>>> ReadContextsAsync(IEnumerable<string> contextIds, TimeSpan? timeout = null)
    {
        var open = new HashSet<string>(contextIds);
        var byContext = open.ToDictionary(id => id, _ => new List<Received>());
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (open.Count > 0)
        {
            var left = deadline - DateTime.UtcNow;
            Assert.True(left > TimeSpan.Zero, $"contexts still open: {string.Join(",", open)}");
            var message = await ReceiveAsync(left);
            Assert.NotNull(message);
            Assert.NotNull(message.Json);
            var id = message.ContextId;
            Assert.NotNull(id);
            byContext[id].Add(message);
            if (message.Type == "audio")
            {
                var binary = await ReceiveAsync(left);
                Assert.NotNull(binary);
                Assert.NotNull(binary.Binary);
                Assert.Equal(message.Get("bytes").GetInt32(), binary.Binary.Length);
                byContext[id].Add(binary);
            }
            else if (message.Type is "done" or "cancelled" || (message.Type == "error" && message.Get("context_ended").GetBoolean()))
            {
                Assert.True(open.Remove(id), $"second terminal message for {id}");
            }
        }

        return byContext;
    }

    /// <summary>The next <c>error</c>, skipping anything else (audio of running contexts).</summary>
    public async Task<Received> NextErrorAsync()
    {
        while (true)
        {
            var message = await ReceiveAsync();
            Assert.NotNull(message);
            if (message.Type == "error")
            {
                return message;
            }
        }
    }

    /// <summary>The socket still works: a new context runs to <c>done</c>.</summary>
    public async Task AssertUsableAsync()
    {
        var id = "ok-" + Guid.NewGuid().ToString("N");
        await SendAsync(new { type = "synthesize", context_id = id, text = "hello there", language = "ar" });
        Assert.Equal("done", (await ReadContextsAsync([id]))[id][^1].Type);
    }

    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseAsync();
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // The test may have left the socket broken on purpose.
        }

        _socket.Dispose();
    }
}
