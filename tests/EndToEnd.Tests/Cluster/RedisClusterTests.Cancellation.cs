using Sawt.Contracts.Workers;

namespace Sawt.EndToEnd.Tests.Cluster;

/// <summary>Many contexts on the three-silo cluster, mid-stream, cancelled at once or dropped with their sockets.</summary>
public sealed partial class RedisClusterTests
{
    private const int StormSockets = 4;
    private const int StormContextsPerSocket = 6;

    [Fact]
    public async Task CancellationStorm_EveryContextEndsExactlyOnce_WorkersEmptyAfterwards_ClusterStillServes()
    {
        await cluster.WaitForReadyWorkersAsync(RedisClusterFixture.SiloCount, Token);
        var clients = new List<WsTestClient>();
        try
        {
            for (var s = 0; s < StormSockets; s++)
            {
                clients.Add(await WsTestClient.ConnectAsync(cluster.Host.WebSocketUri(), Token));
            }

            var terminals = await StartStreamingContextsAsync(clients);

            // The storm: every context of every socket cancelled at once.
            await Task.WhenAll(clients.Select((client, s) => Task.WhenAll(Enumerable.Range(0, StormContextsPerSocket)
                .Select(c => client.SendAsync(new { type = "cancel", context_id = $"s{s}c{c}" }, Token)))));

            // Each context ends exactly once; the incremental ones by `cancelled`. A `cancel` for a context that had
            // already ended is answered `unknown_context`, never a second terminal.
            foreach (var (client, s) in clients.Select((c, i) => (c, i)))
            {
                var ids = Enumerable.Range(0, StormContextsPerSocket).Select(c => $"s{s}c{c}").ToList();
                while (!ids.All(id => terminals.TryGetValue(id, out var ended) && ended.Count > 0))
                {
                    var message = await client.ReceiveAsync(Token);
                    Assert.False(message.Type == "error" && (string?)message.Json["code"] != "unknown_context", message.Json.ToJsonString());
                    Record(terminals, message);
                }
            }

            foreach (var (id, ended) in terminals)
            {
                Assert.True(ended.Count == 1, $"{id} ended {ended.Count} times: {string.Join(", ", ended)}");
            }

            Assert.All(terminals.Where(t => int.Parse(t.Key[(t.Key.IndexOf('c', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0),
                t => Assert.Equal("cancelled", t.Value.Single()));

            // Nothing keeps running: every worker of the cluster is empty again. Each cancel stops its generation within a
            // step, so 10 s is generous; an uncancelled long context would still be generating.
            await WaitForIdleWorkersAsync();

            // And every socket still serves: a new context speaks to done, with nothing of the cancelled ones after their end.
            foreach (var client in clients)
            {
                await client.SendAsync(new { type = "synthesize", context_id = "after", text = "Still here.", language = "en" }, Token);
                var end = await client.ReceiveUntilAsync(m =>
                {
                    Assert.False(m.ContextId is { } id && terminals.ContainsKey(id) && m.Type != "error", $"a message for {m.ContextId} after its end: {m.Json.ToJsonString()}");
                    return m.ContextId == "after" && m.Type is "done" or "error" or "cancelled";
                }, Token);
                Assert.Equal("done", end.Type);
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ClientsVanishMidStream_TheirSessionsStop_WorkersEmptyAfterwards_ClusterStillServes()
    {
        await cluster.WaitForReadyWorkersAsync(RedisClusterFixture.SiloCount, Token);
        var clients = new List<WsTestClient>();
        try
        {
            for (var s = 0; s < StormSockets; s++)
            {
                clients.Add(await WsTestClient.ConnectAsync(cluster.Host.WebSocketUri(), Token));
            }

            await StartStreamingContextsAsync(clients);

            // Every client drops its connection without a close handshake, as crashed bots do.
            foreach (var client in clients)
            {
                client.Abort();
            }

            await WaitForIdleWorkersAsync();
            await using var after = await WsTestClient.ConnectAsync(cluster.Host.WebSocketUri(), Token);
            await after.SendAsync(new { type = "synthesize", context_id = "after", text = "Still here.", language = "en" }, Token);
            Assert.Equal("done", (await after.ReceiveUntilAsync(m => m.ContextId == "after" && m.Type is "done" or "error" or "cancelled", Token)).Type);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Opens <see cref="StormContextsPerSocket"/> contexts on each client and returns once every one is streaming (has
    /// sent audio, or already ended; the terminals seen so far are in the result). Half the contexts are incremental
    /// and never get <c>end</c>, so they cannot finish by themselves; the other half speak a long text (about 4000
    /// tokens, 160 s of audio), so a context nobody stops keeps its worker busy well past the idle bound.
    /// </summary>
    private static async Task<Dictionary<string, List<string>>> StartStreamingContextsAsync(IReadOnlyList<WsTestClient> clients)
    {
        var longText = string.Join(' ', Enumerable.Repeat("This sentence is long enough to keep a worker busy for a while.", 16));
        foreach (var (client, s) in clients.Select((c, i) => (c, i)))
        {
            for (var c = 0; c < StormContextsPerSocket; c++)
            {
                var id = $"s{s}c{c}";
                if (c % 2 == 0)
                {
                    await client.SendAsync(new { type = "synthesize", context_id = id, incremental = true, language = "en" }, Token);
                    await client.SendAsync(new { type = "text", context_id = id, text = "The first words of an answer,", flush = true }, Token);
                }
                else
                {
                    await client.SendAsync(new { type = "synthesize", context_id = id, text = longText, language = "en", sampling = new { max_new_tokens = 4000 } }, Token);
                }
            }
        }

        var terminals = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var client in clients)
        {
            var streaming = new HashSet<string>(StringComparer.Ordinal);
            while (streaming.Count < StormContextsPerSocket)
            {
                var message = await client.ReceiveAsync(Token);
                Assert.NotEqual("error", message.Type);
                if (message.Type is "audio" or "done" && message.ContextId is { } id)
                {
                    streaming.Add(id);
                    Record(terminals, message);
                }
            }
        }

        return terminals;
    }

    private static void Record(Dictionary<string, List<string>> terminals, ServerMessage message)
    {
        var ended = message.Type is "done" or "cancelled" || (message.Type == "error" && message.Json["context_ended"]?.GetValue<bool>() == true);
        if (ended && message.ContextId is { } id)
        {
            if (!terminals.TryGetValue(id, out var list))
            {
                terminals[id] = list = [];
            }

            list.Add(message.Type);
        }
    }

    /// <summary>Polls every worker's own load until none holds an active or queued sequence, for at most 10 s.</summary>
    private Task WaitForIdleWorkersAsync() =>
        IdleWorkers.WaitAsync(cluster.Host.Client, static _ => true, TimeSpan.FromSeconds(10), "the contexts were cancelled or dropped", Token);
}
