using System.Net.WebSockets;
using Sawt.Gateway.Tests.Infrastructure;

namespace Sawt.Gateway.Tests;

/// <summary>
/// A gateway stopping with open sockets (issue 11 item 3): new contexts are refused with the retryable
/// <c>shutting_down</c>, running ones may finish within DrainTimeout, the rest end with <c>shutting_down</c> (their
/// sessions cancelled), and only then does each socket close with 1001. Incremental contexts never end on their own,
/// so whether one finishes is decided by the test's own messages, never by how fast this machine is.
/// </summary>
[Trait("Category", "Gateway")]
public sealed class SocketDrainTests
{
    /// <summary>Longer than any test here runs: the drain never times out where a test lets a context finish.</summary>
    private static readonly TimeSpan DrainOutlastingTheTest = TimeSpan.FromMinutes(2);

    /// <summary>Short: a context the test keeps open always outlives it.</summary>
    private static readonly TimeSpan ShortDrain = TimeSpan.FromMilliseconds(100);

    /// <summary>Probe contexts sent before concluding the gateway never started draining.</summary>
    private const int MaxProbes = 200;

    [Fact]
    public async Task Shutdown_NewContextRefused_RunningContextFinishes_ThenClose1001()
    {
        var server = await GatewayServer.StartAsync(o => o.DrainTimeout = DrainOutlastingTheTest);
        await using var client = await ProtocolClient.ConnectAsync(server.Ws("/v1/ws"));
        await client.SendAsync(new { type = "synthesize", context_id = "running", incremental = true, language = "en" });
        Assert.Equal("started", (await client.ReceiveJsonAsync()).Type);

        var stopping = server.DisposeAsync().AsTask();

        // Until the drain begins a probe is still taken (and runs to done); from then on it is refused.
        Received? refusal = null;
        for (var i = 0; i < MaxProbes && refusal is null; i++)
        {
            var id = $"probe{i}";
            await client.SendAsync(new { type = "synthesize", context_id = id, text = "chunks:1 probe", language = "en" });
            var end = (await client.ReadContextsAsync([id]))[id][^1];
            if (end.Type == "error")
            {
                refusal = end;
            }
            else
            {
                Assert.Equal("done", end.Type);
            }
        }

        Assert.NotNull(refusal);
        Assert.Equal("shutting_down", refusal.Code);
        Assert.True(refusal.Get("retryable").GetBoolean());
        Assert.True(refusal.Get("retry_after_ms").GetInt64() > 0);
        Assert.False(stopping.IsCompleted);

        // The running context is still served: its input goes on and it completes.
        await client.SendAsync(new { type = "text", context_id = "running", text = "Still here.", flush = true });
        await client.SendAsync(new { type = "end", context_id = "running" });
        var running = (await client.ReadContextsAsync(["running"]))["running"];
        Assert.Contains(running, m => m.Type == "audio");
        Assert.Equal("done", running[^1].Type);

        // Nothing runs any more: the socket closes with 1001 and the server stops.
        Assert.Null(await client.ReceiveAsync());
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.Socket.CloseStatus);
        Assert.Equal("server_shutdown", client.Socket.CloseStatusDescription);
        await stopping.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.False(server.Backend.Sessions.Single(s => s.Start.Incremental).CancelCalled);
    }

    [Fact]
    public async Task Shutdown_ContextOutlivesTheDrain_EndsWithRetryableShuttingDown_ThenClose1001()
    {
        var server = await GatewayServer.StartAsync(o => o.DrainTimeout = ShortDrain);
        await using var client = await ProtocolClient.ConnectAsync(server.Ws("/v1/ws"));
        await client.SendAsync(new { type = "synthesize", context_id = "held", incremental = true, language = "en" });
        await client.SendAsync(new { type = "text", context_id = "held", text = "Hello.", flush = true });
        Assert.Equal("started", (await client.ReceiveJsonAsync()).Type);
        Assert.Equal("audio", (await client.ReceiveJsonAsync()).Type);
        Assert.NotNull((await client.ReceiveAsync())?.Binary);

        var stopping = server.DisposeAsync().AsTask();

        // The client never ends its input, so only the drain can end the context; it must say so, not go silent.
        var held = (await client.ReadContextsAsync(["held"]))["held"];
        var end = held[^1];
        Assert.Equal("error", end.Type);
        Assert.Equal("shutting_down", end.Code);
        Assert.True(end.Get("retryable").GetBoolean());
        Assert.True(end.Get("context_ended").GetBoolean());
        Assert.True(server.Backend.Sessions.Single().CancelCalled);

        Assert.Null(await client.ReceiveAsync());
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.Socket.CloseStatus);
        await stopping.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Shutdown_GuideEndpointRequestOutlivesTheDrain_GetsRetryableShuttingDown_ThenClose1001()
    {
        var server = await GatewayServer.StartAsync(o => o.DrainTimeout = ShortDrain);
        await using var client = await ProtocolClient.ConnectAsync(server.Ws("/ws/tts"));

        // "slow" speaks for 20 s, far beyond the drain: only the drain can end it.
        await client.SendAsync(new { text = "slow talk", language_id = "en" });
        Assert.NotNull((await client.ReceiveAsync())?.Binary);
        var stopping = server.DisposeAsync().AsTask();

        Received? message;
        while ((message = await client.ReceiveAsync()) is { Binary: not null })
        {
            // Audio produced before the drain ended the request.
        }

        Assert.NotNull(message);
        Assert.Equal(("error", "shutting_down"), (message.Get("status").GetString(), message.Get("code").GetString()));
        Assert.True(message.Get("retryable").GetBoolean());
        Assert.True(server.Backend.Sessions.Single().CancelCalled);
        Assert.Null(await client.ReceiveAsync());
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.Socket.CloseStatus);
        await stopping.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }
}
