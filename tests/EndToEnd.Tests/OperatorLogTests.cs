using Microsoft.Extensions.Logging;
using Sawt.Gateway.Tests.Infrastructure;
using Sawt.Inference.Synthetic;
using Sawt.Silo;

namespace Sawt.EndToEnd.Tests;

/// <summary>
/// What the operator's log shows for ordinary traffic (a synthesis, a cancel, a client that vanishes mid-stream) on
/// the embedded default at Information: no framework noise, no warnings from Sawt, and never the user's text.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class OperatorLogTests(EmbeddedClusterFixture shared)
{
    private const string QueryKey = "query-key-never-logged-0123456789";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OrdinaryTraffic_LogCarriesSignalOnly()
    {
        var logs = new CapturedLogs();
        var secret = "Quartz zebra " + Guid.NewGuid().ToString("N")[..8] + " says hello.";
        await using (var host = await EmbeddedClusterHost.StartAsync(
            shared.BundleDirectory,
            extraArguments: ["--Logging:LogLevel:Default", "Information"],
            configure: builder => builder.Logging.AddProvider(logs),
            cancellationToken: Token))
        {
            await using (var client = await WsTestClient.ConnectAsync(host.WebSocketUri(), Token))
            {
                await client.SendAsync(new { type = "synthesize", context_id = "a", text = secret, language = "en" }, Token);
                await client.ReceiveUntilAsync(m => m.Type == "done", Token);

                // A cancel mid-stream: late events reach a subscription that was just removed.
                await client.SendAsync(new { type = "synthesize", context_id = "b", text = LongText(secret), language = "en" }, Token);
                await client.ReceiveUntilAsync(m => m.Type == "audio", Token);
                await client.SendAsync(new { type = "cancel", context_id = "b" }, Token);
                await client.ReceiveUntilAsync(m => m.Type == "cancelled", Token);
            }

            // A client that goes away without a close handshake while audio is flowing.
            var vanishing = await WsTestClient.ConnectAsync(host.WebSocketUri(), Token);
            await vanishing.SendAsync(new { type = "synthesize", context_id = "c", text = LongText(secret), language = "en" }, Token);
            await vanishing.ReceiveUntilAsync(m => m.Type == "audio", Token);
            vanishing.Abort();

            // A key in the query (as WebSocket clients send it) is never logged, even by the framework's request lines.
            using (var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) })
            {
                await http.GetAsync(new Uri("/v1/voices?api_key=" + QueryKey, UriKind.Relative), Token);
            }

            // One more full synthesis, so whatever the cancels left behind has been logged before the host stops.
            await using var last = await WsTestClient.ConnectAsync(host.WebSocketUri(), Token);
            await last.SendAsync(new { type = "synthesize", context_id = "d", text = "The end.", language = "en" }, Token);
            await last.ReceiveUntilAsync(m => m.Type == "done", Token);
        }

        var entries = logs.Entries.ToList();
        Assert.Contains(entries, e => e.Category.StartsWith("Sawt.", StringComparison.Ordinal) && e.Level == LogLevel.Information);
        Assert.Single(entries, e => e.Category.StartsWith("Sawt.", StringComparison.Ordinal) && e.Level == LogLevel.Information && e.Message.StartsWith("API open", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Category.StartsWith("Polly", StringComparison.Ordinal) && e.Level >= LogLevel.Information);
        Assert.DoesNotContain(entries, e => e.Category.StartsWith("Orleans.Streams", StringComparison.Ordinal) && e.Level >= LogLevel.Warning);
        var sawtWarnings = entries.Where(e => e.Category.StartsWith("Sawt.", StringComparison.Ordinal) && e.Level >= LogLevel.Warning).ToList();
        Assert.True(sawtWarnings.Count == 0, string.Join(Environment.NewLine, sawtWarnings));
        Assert.DoesNotContain(entries, e => e.Message.Contains(QueryKey, StringComparison.Ordinal));
        var leaks = entries.Where(e => e.Level >= LogLevel.Information && (e.Message.Contains("Quartz zebra", StringComparison.Ordinal) || (e.Exception?.ToString().Contains("Quartz zebra", StringComparison.Ordinal) ?? false))).ToList();
        Assert.True(leaks.Count == 0, string.Join(Environment.NewLine, leaks));
    }

    private static string LongText(string secret) =>
        string.Join(' ', Enumerable.Repeat(secret + " This sentence goes on for a while so that audio keeps flowing.", 6));
}
