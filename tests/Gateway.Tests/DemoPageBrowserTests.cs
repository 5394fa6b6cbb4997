using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Sawt.Gateway.Tests.Infrastructure;

namespace Sawt.Gateway.Tests;

/// <summary>
/// The demo page in headless Chromium, driven over the DevTools protocol, against real Kestrel over the fake
/// cluster (<see cref="FakeSessionBackend"/>): the page loads, opens /v1/ws, streams and schedules every chunk
/// with Web Audio. Without Chromium the test skips, except under CI=true where a missing browser fails.
/// </summary>
[Trait("Category", "Browser")]
public sealed class DemoPageBrowserTests
{
    [Fact]
    public async Task DemoPage_StreamsAndSchedulesAudio_AndShowsTimeToFirstAudio()
    {
        var chromium = FindChromium();
        if (chromium is null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail("Chromium is not installed; .ci/run installs it (apt-get install -y chromium).");
            }

            Assert.Skip("Chromium is not installed (apt-get install -y chromium); set CI=true to make this a failure.");
        }

        await using var server = await GatewayServer.StartAsync();
        var profile = Directory.CreateTempSubdirectory("sawt-chromium-");
        var url = new Uri(server.HttpBase, "/?autoplay=1&text=" + Uri.EscapeDataString("chunks:6 مرحبا"));
        using var browser = StartChromium(chromium, profile.FullName, url);
        try
        {
            var port = await ReadDevToolsPortAsync(profile.FullName, browser);
            await using var page = await DevToolsPage.ConnectAsync(port, url);
            Dictionary<string, string> state = [];
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (DateTime.UtcNow < deadline)
            {
                state = await page.EvaluateDatasetAsync();
                if (state.GetValueOrDefault("state") is "done" or "error")
                {
                    break;
                }

                await Task.Delay(100, TestContext.Current.CancellationToken);
            }

            var status = await page.EvaluateStringAsync("document.getElementById('status').textContent");
            Assert.True(state.GetValueOrDefault("state") == "done", $"page state {JsonSerializer.Serialize(state)}, status '{status}'");
            Assert.Equal("6", state["chunks"]);
            Assert.True(int.Parse(state["firstAudioMs"], System.Globalization.CultureInfo.InvariantCulture) >= 0);
            Assert.Contains("first audio after", status, StringComparison.Ordinal);
            Assert.Equal("chunks scheduled: 6", await page.EvaluateStringAsync("document.getElementById('chunks').textContent"));
            var session = Assert.Single(server.Backend.Sessions);
            Assert.Equal(("pcm_f32le", 24000, "ar"), (session.Start.Output.Encoding, session.Start.Output.SampleRate, session.Start.Language));
        }
        finally
        {
            if (!browser.HasExited)
            {
                browser.Kill(entireProcessTree: true);
                await browser.WaitForExitAsync(CancellationToken.None);
            }

            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Chromium may still be writing its profile; the temp folder is left behind.
            }
        }
    }

    private static string? FindChromium()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome" })
        {
            foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static Process StartChromium(string chromium, string profile, Uri url)
    {
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required", "--mute-audio",
            $"--user-data-dir={profile}", "--remote-debugging-port=0", url.ToString(),
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<int> ReadDevToolsPortAsync(string profile, Process browser)
    {
        var file = Path.Combine(profile, "DevToolsActivePort");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(browser.HasExited, $"chromium exited with {(browser.HasExited ? browser.ExitCode : 0)}");
            if (File.Exists(file))
            {
                var lines = await File.ReadAllLinesAsync(file, TestContext.Current.CancellationToken);
                if (lines.Length >= 1 && int.TryParse(lines[0], out var port) && port > 0)
                {
                    return port;
                }
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("chromium never wrote DevToolsActivePort");
    }

    /// <summary>A page target over the Chrome DevTools protocol (Runtime.evaluate only).</summary>
    private sealed class DevToolsPage : IAsyncDisposable
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
            var id = ++_nextId;
            var request = JsonSerializer.Serialize(new
            {
                id,
                method = "Runtime.evaluate",
                @params = new { expression, returnByValue = true },
            });
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
                    var value = reply.RootElement.GetProperty("result").GetProperty("result");
                    return value.TryGetProperty("value", out var v) ? v.ToString() : string.Empty;
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
}
