using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sawt.Silo;

namespace Sawt.EndToEnd.Tests;

/// <summary>
/// A context whose first sentence is known when it starts is admitted or refused before <c>started</c>: a refused one
/// gets one <c>error</c> <c>busy</c> (retryable, with <c>retry_after_ms</c>, the context ended), over HTTP a 429 with
/// <c>Retry-After</c>. The embedded cluster runs with a first-audio target no forecast can meet, so once its T3 worker
/// has measured one utterance, every new one is refused (idle admission is put off for an hour): the outcome follows
/// from the measurements, not from timing.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class AdmissionEndToEndTests(EmbeddedClusterFixture shared)
{
    /// <summary>Contexts tried until one is refused: the worker admits while it has measured nothing.</summary>
    private const int MaxAttempts = 8;

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static readonly string[] UnreachableTarget =
    [
        "--Sawt:Workers:FirstAudioTargetMilliseconds", "0.002",
        "--Sawt:Workers:FirstDecodeAllowanceMilliseconds", "0.001",

        // The contexts here run one after another, so the worker is idle at each start: its measurements must keep
        // refusing however long the machine takes between them.
        "--Sawt:Workers:IdleAdmitAfter", "01:00:00",
    ];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FirstSentenceKnownAtStart_Refused_BusyBeforeStartedOnTheSocketAnd429OverHttp()
    {
        await using var host = await EmbeddedClusterHost.StartAsync(shared.BundleDirectory, extraArguments: UnreachableTarget, cancellationToken: Token);
        await using var client = await WsTestClient.ConnectAsync(host.WebSocketUri(), Token);

        ServerMessage? refusal = null;
        for (var i = 0; i < MaxAttempts && refusal is null; i++)
        {
            var id = $"whole-{i}";
            await client.SendAsync(new { type = "synthesize", context_id = id, text = "Hello there. A second sentence.", language = "en" }, Token);
            var first = await Next(client, id);
            if (first.Type == "error")
            {
                refusal = first;
                break;
            }

            // Admitted: started first, and never cut off later (its second sentence is a continuation).
            Assert.Equal("started", first.Type);
            var end = await Next(client, id, m => m.Type is "done" or "error" or "cancelled");
            Assert.True(end.Type == "done", end.Json.ToJsonString());
        }

        Assert.NotNull(refusal);
        AssertBusy(refusal);

        // Incremental text that already holds a whole sentence is asked for at start too.
        await client.SendAsync(new { type = "synthesize", context_id = "incremental", text = "Hello there. And then", language = "en", incremental = true }, Token);
        AssertBusy(await Next(client, "incremental"));

        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var response = await http.PostAsJsonAsync("/v1/tts", new JsonObject { ["text"] = "Hello there.", ["language"] = "en" }, Token).WaitAsync(Bound, Token);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.ToString());
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(Token);
        Assert.Equal("busy", (string?)body?["error"]?["code"]);
    }

    private static void AssertBusy(ServerMessage message)
    {
        // The first message of the context: no started came before it.
        Assert.True(message.Type == "error", message.Json.ToJsonString());
        Assert.Equal("busy", (string?)message.Json["code"]);
        Assert.True((bool?)message.Json["retryable"]);
        Assert.True((bool?)message.Json["context_ended"]);
        Assert.True((long?)message.Json["retry_after_ms"] > 0, message.Json.ToJsonString());
    }

    private static Task<ServerMessage> Next(WsTestClient client, string contextId, Func<ServerMessage, bool>? match = null) =>
        client.ReceiveUntilAsync(m => m.ContextId == contextId && (match is null || match(m)), Token).WaitAsync(Bound, Token);
}
