using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Sawt.Contracts.Workers;
using Sawt.Gateway.Tests.Infrastructure;

namespace Sawt.EndToEnd.Tests.Cluster;

/// <summary>
/// The operator dashboard in headless Chromium against two silos and a standalone gateway under load (a few
/// WebSocket clients speaking one utterance after another): every silo and worker is shown, and the latency plot
/// moves as sessions end. The page is opened with the operator key (keys are configured), so the browser's own
/// requests ride the key's cookie. The screenshot is kept under the test output's TestResults folder.
/// Skips without Chromium or redis-server unless CI=true.
/// </summary>
[Trait("Category", "Browser")]
public sealed class OpsDashboardTests(OpsDashboardFixture cluster) : IClassFixture<OpsDashboardFixture>
{
    private const int LoadClients = 3;

    /// <summary>Bounds each wait for the page (the page polls every 250 ms; sessions take well under a second).</summary>
    private static readonly TimeSpan PageBound = TimeSpan.FromSeconds(90);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OpsPage_TwoSilosUnderLoad_ShowsEverySiloAndWorker_AndTheLatencyPlotMoves()
    {
        var chromium = FindChromiumOrSkip();
        var workers = await cluster.Host.WaitForReadyWorkersAsync(OpsDashboardFixture.SiloCount, Token);
        string[] expectedSilos = [.. Enumerable.Range(0, OpsDashboardFixture.SiloCount).Select(cluster.Host.SiloEndpoint).Order(StringComparer.Ordinal)];
        string[] expectedWorkers = [.. workers.Select(w => $"{w.Kind} {w.WorkerKey}").Order(StringComparer.Ordinal)];
        Assert.Equal(OpsDashboardFixture.SiloCount * 2, expectedWorkers.Length);

        using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var load = Task.WhenAll(Enumerable.Range(0, LoadClients).Select(i => SpeakUntilStoppedAsync(i, stopLoad.Token)));
        var profile = Directory.CreateTempSubdirectory("sawt-chromium-ops-");
        var url = new Uri(cluster.Host.GatewayAddress, $"/ops?api_key={OpsDashboardFixture.OperatorKey}&poll=250");
        using var browser = HeadlessChromium.Start(chromium, profile.FullName, url, windowSize: "1400,2200");
        try
        {
            var port = await HeadlessChromium.ReadDevToolsPortAsync(profile.FullName, browser);
            await using var page = await DevToolsPage.ConnectAsync(port, url);

            // First: the whole cluster is shown and some sessions have ended with a latency on the plot.
            var first = await WaitForAsync(page, s => s.State == "ok" && s.Sessions >= LoadClients && s.LastP95 > 0
                && s.Silos.Order(StringComparer.Ordinal).SequenceEqual(expectedSilos)
                && s.Workers.Order(StringComparer.Ordinal).SequenceEqual(expectedWorkers));
            Assert.Equal(first.Points, first.P95Line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);

            // Then: more sessions ended, the plot has more points, and its line is drawn differently.
            var second = await WaitForAsync(page, s => s.Points >= first.Points + 3 && s.Sessions > first.Sessions && s.P95Line != first.P95Line);
            Assert.Equal(second.Points, second.P95Line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.Equal(expectedSilos, second.Silos.Order(StringComparer.Ordinal));
            Assert.Equal(expectedWorkers, second.Workers.Order(StringComparer.Ordinal));

            var screenshot = await page.CaptureScreenshotAsync();
            Assert.True(screenshot.Length > 1000 && screenshot.AsSpan(1, 3).SequenceEqual("PNG"u8), $"not a PNG: {screenshot.Length} bytes");
            var path = SaveArtifact(screenshot);
            TestContext.Current.AddAttachment("ops-dashboard.png", screenshot, "image/png");
            TestContext.Current.TestOutputHelper?.WriteLine($"/ops screenshot: {path} (sessions {first.Sessions} -> {second.Sessions}, plot points {first.Points} -> {second.Points})");
        }
        finally
        {
            await stopLoad.CancelAsync();
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

        // Every utterance the load finished ended in done: the dashboard watched a healthy cluster.
        var spoken = await load;
        Assert.All(spoken, s => Assert.True(s.Failures.Count == 0, string.Join("; ", s.Failures)));
        Assert.True(spoken.Sum(s => s.Done) >= LoadClients, $"only {spoken.Sum(s => s.Done)} utterances were spoken");
    }

    [Fact]
    public async Task OrleansDashboard_BesideOps_ServesClusterDetail_OnlyWithTheOperatorKey()
    {
        using var http = new HttpClient { BaseAddress = cluster.Host.GatewayAddress, Timeout = TimeSpan.FromSeconds(30) };

        var refused = await http.GetAsync(new Uri("/ops/orleans/ClusterStats", UriKind.Relative), Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/ops/orleans/ClusterStats", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OpsDashboardFixture.OperatorKey);
        var stats = await http.SendAsync(request, Token);
        using var page = new HttpRequestMessage(HttpMethod.Get, new Uri("/ops/orleans/", UriKind.Relative));
        page.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OpsDashboardFixture.OperatorKey);
        var index = await http.SendAsync(page, Token);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        using var statsJson = JsonDocument.Parse(await stats.Content.ReadAsStringAsync(Token));
        Assert.NotEqual(JsonValueKind.Null, statsJson.RootElement.ValueKind);
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Contains("<html", await index.Content.ReadAsStringAsync(Token), StringComparison.OrdinalIgnoreCase);
    }

    private static string FindChromiumOrSkip()
    {
        var chromium = HeadlessChromium.Find();
        if (chromium is null)
        {
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase),
                "Chromium is not installed; .ci/run installs it (apt-get install -y chromium).");
            Assert.Skip("Chromium is not installed (apt-get install -y chromium); set CI=true to make this a failure.");
        }

        return chromium!;
    }

    /// <summary>Reads the page until <paramref name="done"/> holds (every 100 ms, within <see cref="PageBound"/>).</summary>
    private static async Task<PageState> WaitForAsync(DevToolsPage page, Func<PageState, bool> done)
    {
        var deadline = DateTime.UtcNow + PageBound;
        PageState state;
        do
        {
            state = PageState.Parse(await page.EvaluateStringAsync(PageState.Script));
            if (done(state))
            {
                return state;
            }

            await Task.Delay(100, Token);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"the page never got there; last read: {state}");
        return state;
    }

    /// <summary>One client speaking one utterance after another until stopped; counts what ended how.</summary>
    private async Task<LoadResult> SpeakUntilStoppedAsync(int client, CancellationToken stop)
    {
        var result = new LoadResult();
        var uri = new UriBuilder(cluster.Host.WebSocketUri()) { Query = "api_key=" + OpsDashboardFixture.TenantKey }.Uri;
        await using var socket = await WsTestClient.ConnectAsync(uri, Token);
        try
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var context = $"c{client}-{i}";
                await socket.SendAsync(new { type = "synthesize", context_id = context, text = "Keep the operators' dashboard busy.", language = "en" }, stop);
                var end = await socket.ReceiveUntilAsync(m => m.ContextId == context && m.Type is "done" or "error" or "cancelled", stop);
                if (end.Type == "done")
                {
                    result.Done++;
                }
                else
                {
                    result.Failures.Add(end.Json.ToJsonString());
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped mid-utterance: that one is neither done nor failed.
        }

        return result;
    }

    private static string SaveArtifact(byte[] png)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "TestResults", "ops-dashboard");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"ops-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.png");
        File.WriteAllBytes(path, png);
        return path;
    }

    private sealed class LoadResult
    {
        public int Done { get; set; }

        public List<string> Failures { get; } = [];
    }

    /// <summary>What the page shows, read from its DOM in one evaluation.</summary>
    private sealed record PageState(string State, int Points, int Sessions, double LastP95, string[] Silos, string[] Workers, string P95Line)
    {
        // Null-safe: the first reads may come while the page is still loading (no body, no plot yet).
        public const string Script = """
            (() => {
              const line = document.getElementById('line-p95');
              return JSON.stringify({
                d: document.body ? Object.assign({}, document.body.dataset) : {},
                silos: [...document.querySelectorAll('#silos tr')].map(r => r.dataset.key),
                workers: [...document.querySelectorAll('#workers tr')].map(r => r.dataset.key),
                p95: line ? line.getAttribute('points') || '' : ''
              });
            })()
            """;

        public static PageState Parse(string json)
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var d = root.GetProperty("d");
            string Data(string name) => d.TryGetProperty(name, out var v) ? v.GetString() ?? string.Empty : string.Empty;
            return new PageState(
                Data("state"),
                int.TryParse(Data("points"), CultureInfo.InvariantCulture, out var points) ? points : 0,
                int.TryParse(Data("sessions"), CultureInfo.InvariantCulture, out var sessions) ? sessions : 0,
                double.TryParse(Data("lastP95"), CultureInfo.InvariantCulture, out var p95) ? p95 : 0,
                [.. root.GetProperty("silos").EnumerateArray().Select(e => e.GetString() ?? string.Empty)],
                [.. root.GetProperty("workers").EnumerateArray().Select(e => e.GetString() ?? string.Empty)],
                root.GetProperty("p95").GetString() ?? string.Empty);
        }

        public override string ToString() =>
            $"state {State}, points {Points}, sessions {Sessions}, p95 {LastP95}, silos [{string.Join(", ", Silos)}], workers [{string.Join(", ", Workers)}]";
    }
}
