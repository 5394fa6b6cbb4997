using Sawt.Contracts.Sessions;
using System.Globalization;

namespace Sawt.EndToEnd.Tests.Cluster;

/// <summary>Clients that stop reading their socket mid-stream while others stream through the same gateway and silos.</summary>
public sealed partial class LoadFaultTests
{
    /// <summary>The slow clients' TCP receive buffer: small, so the server side holds their audio, not the client's kernel.</summary>
    private const int SlowReceiveBuffer = 16 * 1024;

    /// <summary>Out-of-order chunks the gateway holds per session while it waits for a missing one (OrleansSessionHandle).</summary>
    private const int GatewayReorderChunks = 32;

    /// <summary>The gateway's "Context {ContextId} cancelled: the client did not read its audio within {TimeoutMs} ms".</summary>
    private const int SlowConsumerEvent = 1005;

    /// <summary>The gateway's "Session {SessionId}: its client fell {Events} events behind; it ends with slow_consumer and is cancelled".</summary>
    private const int FellBehindEvent = 1035;

    /// <summary>Tokens the paused client asks for at most: 40 chunks, fewer than its send queue and session buffer hold.</summary>
    private const int PausedTokens = 400;

    private const int OtherSockets = 3;
    private const int OthersPerSocket = 4;

    /// <summary>
    /// 48 kHz float audio (192 kB a second) in chunks of 10 tokens (0.4 s, 77 kB each): a long text then soon holds more
    /// than the socket, the send queue and the session's buffer can take.
    /// </summary>
    private static readonly object HeavyAudio = new { encoding = "pcm_f32le", sample_rate = 48000 };

    private static readonly object SmallChunks = new { schedule = new[] { 10 } };

    private const string ShortText = "This sentence is long enough to keep a worker busy for a while.";

    /// <summary>
    /// Far more audio than the gateway holds for a client (minutes of it, within a session's 300 s), so its session is
    /// still speaking when the gateway gives up.
    /// </summary>
    private static readonly string LongText = string.Join(' ', Enumerable.Repeat(ShortText, 20));

    [Fact]
    public async Task SlowConsumer_ItsSessionStopsAtTheBufferBound_OthersServedMeanwhile_PausedOneGetsAllItsAudio()
    {
        await cluster.Host.WaitForReadyWorkersAsync(LoadFaultClusterFixture.SiloCount, Token);
        await cluster.WaitForIdleWorkersAsync(Bound, "the cluster started", Token);
        var uri = cluster.Host.WebSocketUri();

        // Two clients stop reading after their first chunk. `paused` asked for less audio than its socket's send queue
        // and its session's buffer hold, and will read again; `abandoned` asked for far more, and will not read (its
        // context is incremental and never ended, so its session would wait for more text rather than end by itself).
        await using var paused = await WsTestClient.ConnectAsync(uri, SlowReceiveBuffer, Token);
        await using var abandoned = await WsTestClient.ConnectAsync(uri, SlowReceiveBuffer, Token);
        await paused.SendAsync(new { type = "synthesize", context_id = "paused", text = ShortText, language = "en", output_format = HeavyAudio, chunking = SmallChunks, sampling = new { max_new_tokens = PausedTokens } }, Token);
        await abandoned.SendAsync(new { type = "synthesize", context_id = "abandoned", incremental = true, language = "en", output_format = HeavyAudio, chunking = SmallChunks, sampling = new { max_new_tokens = 4000 } }, Token);
        await abandoned.SendAsync(new { type = "text", context_id = "abandoned", text = LongText, flush = true }, Token);
        var pausedStream = new SlowStream("paused");
        var abandonedStream = new SlowStream("abandoned");
        await pausedStream.ReadUntilFirstAudioAsync(paused);
        var abandonedSession = await abandonedStream.ReadUntilFirstAudioAsync(abandoned);

        // The gateway never waits for a client inside the stream delivery every session shares; once the abandoned
        // client's session has a whole buffer unread, the gateway ends it and cancels its session, which stops speaking.
        await UntilAsync(() => Task.FromResult(FellBehind().Any(m => m.Contains(abandonedSession.ToString(), StringComparison.OrdinalIgnoreCase))), "the gateway gives up on the abandoned client's session");
        // A session that ended is deactivated, so text sent to it meets one that never started (refused as lost); one
        // still running would take it.
        var session = cluster.Host.Client.GetGrain<ITtsSessionGrain>(abandonedSession);
        await UntilAsync(async () => await RefusesTextAsync(session), "the abandoned client's session ends", TimeSpan.FromSeconds(10));
        await cluster.WaitForIdleWorkersAsync(TimeSpan.FromSeconds(10), "the gateway gave up on the abandoned client's session", Token);

        // Meanwhile, with both clients still not reading, others stream through the same gateway and silos: each to
        // done, in order, no chunk missing, within the slow-consumer limit (before the gateway gave up on anyone).
        await using (var others = await ClusterLoad.StartAsync(uri, OtherSockets, OthersPerSocket, () => 0, Token))
        {
            await others.UntilAsync(a => a.Count(x => x.IsDone) >= OtherSockets * OthersPerSocket * 2, LoadFaultClusterFixture.SlowConsumerTimeout, "the others complete while two clients do not read", Token);
            await others.EndAsync(LoadFaultClusterFixture.SlowConsumerTimeout, Token, a => cluster.Trace(a.SessionId, a.ContextId));
            var attempts = others.Attempts;
            TestContext.Current.TestOutputHelper?.WriteLine($"Others while two clients did not read: {ClusterLoad.Summary(attempts)}");
            AssertEveryContextEndedOnceDoneOrRetryable(attempts);
            Assert.All(attempts.GroupBy(a => a.Utterance), u => Assert.True(u.MaxBy(a => a.Number)!.IsDone, $"utterance {u.Key}: {string.Join("; ", u)}"));
        }

        Assert.True(TimedOut().Count == 0, $"a context reached the slow-consumer limit: {string.Join("; ", TimedOut())}");

        // The paused client reads again within the limit: every chunk, in order, then done.
        var pausedEnd = await pausedStream.ReadToEndAsync(paused);
        Assert.True(pausedEnd.Type == "done", pausedEnd.Json.ToJsonString());
        Assert.Equal(pausedEnd.Json["chunks"]!.GetValue<int>(), pausedStream.Chunks);

        // The abandoned client reading again gets what the gateway held for it, in order, then the retryable
        // slow_consumer; no more than its socket, send queue and session buffer can hold, and the socket goes on.
        var abandonedEnd = await abandonedStream.ReadToEndAsync(abandoned);
        Assert.Equal(("error", "slow_consumer"), (abandonedEnd.Type, (string?)abandonedEnd.Json["code"]));
        Assert.True(abandonedEnd.Json["retryable"]!.GetValue<bool>());
        var holdable = SendBufferMaxBytes() + (2 * SlowReceiveBuffer)
            + ((LoadFaultClusterFixture.SendQueueCapacity + LoadFaultClusterFixture.SessionEventBuffer + GatewayReorderChunks + 1) * abandonedStream.LargestChunk);
        TestContext.Current.TestOutputHelper?.WriteLine($"Paused: {pausedStream.Chunks} chunks, {pausedStream.Bytes} bytes; abandoned: {abandonedStream.Chunks} chunks, {abandonedStream.Bytes} bytes held of at most {holdable}");
        Assert.True(abandonedStream.Bytes <= holdable, $"the gateway held {abandonedStream.Bytes} bytes for a client that did not read; at most {holdable} fit its bounds");
        await abandoned.SendAsync(new { type = "synthesize", context_id = "again", text = "Reading now.", language = "en" }, Token);
        Assert.Equal("done", (await abandoned.ReceiveUntilAsync(m => m.ContextId == "again" && m.Type is "done" or "error" or "cancelled", Token)).Type);
    }

    private static async Task<bool> RefusesTextAsync(ITtsSessionGrain session)
    {
        try
        {
            await session.AppendText(" And more.");
            return false;
        }
        catch (SessionRejectedException)
        {
            return true;
        }
    }

    /// <summary>The gateway's "client fell behind" lines (each names the session it ended).</summary>
    private List<string> FellBehind() => [.. cluster.GatewayLogs.WithEventId(FellBehindEvent).Select(e => e.Message)];

    /// <summary>The gateway's slow-consumer timeout lines (each names the context it cancelled).</summary>
    private List<string> TimedOut() => [.. cluster.GatewayLogs.WithEventId(SlowConsumerEvent).Select(e => e.Message)];

    /// <summary>The most a socket's kernel send buffer grows to (Linux <c>tcp_wmem</c>'s maximum; 4 MB where unknown).</summary>
    private static long SendBufferMaxBytes()
    {
        const string Limits = "/proc/sys/net/ipv4/tcp_wmem";
        return File.Exists(Limits)
            ? long.Parse(File.ReadAllText(Limits).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture)
            : 4 * 1024 * 1024;
    }

    /// <summary>One slow client's context as it reads it: the order checked, the audio counted.</summary>
    private sealed class SlowStream(string id)
    {
        public int Chunks { get; private set; }

        public long Bytes { get; private set; }

        public int LargestChunk { get; private set; }

        /// <summary>Reads <c>started</c> and the first chunk; returns the session id.</summary>
        public async Task<Guid> ReadUntilFirstAudioAsync(WsTestClient client)
        {
            var started = await client.ReceiveAsync(Token);
            Assert.True((started.Type, started.ContextId) == ("started", id), started.Json.ToJsonString());
            Accept(await client.ReceiveAsync(Token));
            return Guid.Parse((string)started.Json["session_id"]!);
        }

        /// <summary>
        /// Reads the rest of the context (bounded): audio in sequence order, then its terminal message, which is returned.
        /// An error that does not end a context (the answer to a text sent after the context ended) is passed over.
        /// </summary>
        public async Task<ServerMessage> ReadToEndAsync(WsTestClient client)
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(Token);
            bound.CancelAfter(Bound);
            while (true)
            {
                var message = await client.ReceiveAsync(bound.Token);
                if (message.Type == "error" && message.Json["context_ended"]?.GetValue<bool>() != true)
                {
                    continue;
                }

                if (message.Type != "audio")
                {
                    Assert.Equal(id, message.ContextId);
                    return message;
                }

                Accept(message);
            }
        }

        private void Accept(ServerMessage message)
        {
            Assert.Equal(("audio", id), (message.Type, message.ContextId));
            Assert.Equal(Chunks, message.Json["sequence"]!.GetValue<int>());
            Assert.Equal(message.Json["bytes"]!.GetValue<int>(), message.Audio!.Length);
            Chunks++;
            Bytes += message.Audio.Length;
            LargestChunk = Math.Max(LargestChunk, message.Audio.Length);
        }
    }
}
