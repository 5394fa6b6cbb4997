using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Sawt.Gateway.Tests.Infrastructure;

/// <summary>A page target over the Chrome DevTools protocol (Runtime.evaluate and Page.captureScreenshot).</summary>
internal sealed class DevToolsPage : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private int _nextId;

    public static async Task<DevToolsPage> ConnectAsync(int port, Uri pageUrl)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var targets = JsonDocument.Parse(await http.GetStringAsync(new Uri("/json/list", UriKind.Relative), TestContext.Current.CancellationToken));
            foreach (var target in targets.RootElement.EnumerateArray())
            {
                if (target.GetProperty("type").GetString() == "page"
                    && target.GetProperty("url").GetString()!.StartsWith(pageUrl.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal))
                {
                    var page = new DevToolsPage();
                    await page._socket.ConnectAsync(new Uri(target.GetProperty("webSocketDebuggerUrl").GetString()!), TestContext.Current.CancellationToken);
                    return page;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, "the demo page never appeared among chromium's targets");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    public async Task<Dictionary<string, string>> EvaluateDatasetAsync()
    {
        var json = await EvaluateStringAsync("JSON.stringify(document.body ? Object.assign({}, document.body.dataset) : {})");
        return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
    }

    public async Task<string> EvaluateStringAsync(string expression)
    {
        var result = await CallAsync("Runtime.evaluate", new { expression, returnByValue = true });
        var value = result.GetProperty("result");
        return value.TryGetProperty("value", out var v) ? v.ToString() : string.Empty;
    }

    /// <summary>Writes a PNG of the page as it is now (the whole page, beyond the viewport) to <paramref name="path"/>.</summary>
    public async Task CaptureScreenshotAsync(string path) =>
        await File.WriteAllBytesAsync(path, await CaptureScreenshotAsync(), TestContext.Current.CancellationToken);

    /// <summary>A PNG of the page as it is drawn now (<c>Page.captureScreenshot</c>).</summary>
    public async Task<byte[]> CaptureScreenshotAsync()
    {
        var result = await CallAsync("Page.captureScreenshot", new { format = "png", captureBeyondViewport = true });
        return Convert.FromBase64String(result.GetProperty("data").GetString()!);
    }

    /// <summary>Calls a DevTools method and returns its <c>result</c>; events and other replies are skipped.</summary>
    private async Task<JsonElement> CallAsync(string method, object parameters)
    {
        var id = ++_nextId;
        var request = JsonSerializer.Serialize(new { id, method, @params = parameters });
        await _socket.SendAsync(Encoding.UTF8.GetBytes(request), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await _socket.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            using var reply = JsonDocument.Parse(message.ToArray());
            if (reply.RootElement.TryGetProperty("id", out var replyId) && replyId.GetInt32() == id)
            {
                if (reply.RootElement.TryGetProperty("error", out var error))
                {
                    throw new InvalidOperationException($"{method} failed: {error}");
                }

                return reply.RootElement.GetProperty("result").Clone();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // Chromium is being killed anyway.
        }

        _socket.Dispose();
    }
}
