using System.Net.WebSockets;
using Sawt.Gateway.Tests.Infrastructure;

namespace Sawt.Gateway.Tests;

/// <summary>
/// The /v1/ws protocol against real Kestrel and real ClientWebSockets. The cluster is a fake
/// (<see cref="FakeSessionBackend"/>): these tests check the gateway's protocol logic, not synthesis.
/// </summary>
[Trait("Category", "Gateway")]
public sealed class WebSocketProtocolTests : IAsyncLifetime
{
    private GatewayServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await GatewayServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static object Synth(string id, string text = "hello there", object? extra = null) => extra switch
    {
        null => new { type = "synthesize", context_id = id, text, language = "ar" },
        _ => extra,
    };

    [Fact]
    public async Task Synthesize_HappyPath_StartedThenPairedAudioInOrderThenDone()
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws"));
        await client.SendAsync(new
        {
            v = 1,
            type = "synthesize",
            context_id = "c1",
            text = "مرحبا",
            language = "ar",
            voice = "default",
            output_format = new { encoding = "pcm_s16le", sample_rate = 16000 },
            sampling = new { temperature = 0.7, seed = 42 },
            chunking = new { schedule = new[] { 10, 25 } },
        });
        var messages = (await client.ReadContextsAsync(["c1"]))["c1"];

        Assert.Equal("started", messages[0].Type);
        Assert.True(Guid.TryParse(messages[0].Get("session_id").GetString(), out _));
        var audio = messages.Where(m => m.Type == "audio").ToList();
        Assert.Equal([0, 1, 2, 3], audio.Select(a => a.Get("sequence").GetInt32()));
        Assert.All(audio, a => Assert.Equal("pcm_s16le", a.Get("encoding").GetString()));
        Assert.All(audio, a => Assert.Equal(16000, a.Get("sample_rate").GetInt32()));
        Assert.True(audio[^1].Get("is_final").GetBoolean());
        // Pairing: chunk k has 240*(k+1) samples of 2 bytes, so each binary frame is the one its metadata announced.
        var binaries = messages.Where(m => m.Binary is not null).Select(m => m.Binary!.Length).ToList();
        Assert.Equal([480, 960, 1440, 1920], binaries);
        var done = messages[^1];
        Assert.Equal("done", done.Type);
        Assert.Equal(4, done.Get("chunks").GetInt32());
        Assert.Equal(40, done.Get("tokens").GetInt32());
        Assert.True(done.Get("audio_ms").GetDouble() > 0);
        Assert.Equal(12.5, done.Get("time_to_first_audio_ms").GetDouble());

        var session = Assert.Single(_server.Backend.Sessions);
        Assert.Equal("pcm_s16le", session.Start.Output.Encoding);
        Assert.Equal(16000, session.Start.Output.SampleRate);
        Assert.Equal(0.7f, session.Start.Sampling.Temperature);
        Assert.Equal(42UL, session.Start.Sampling.Seed);
        Assert.Equal([10, 25], session.Start.Chunking.Schedule!);
    }

    [Fact]
    public async Task SeveralContexts_OnOneSocket_InterleaveAndEachCompletesInOrder()
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws"));
        await client.SendAsync(Synth("a", "chunks:6 first"));
        await client.SendAsync(Synth("b", "chunks:6 second"));
        await client.SendAsync(Synth("c", "chunks:3 third"));
        var byContext = await client.ReadContextsAsync(["a", "b", "c"]);

        foreach (var (id, expected) in new[] { ("a", 6), ("b", 6), ("c", 3) })
        {
            var messages = byContext[id];
            Assert.Equal("started", messages[0].Type);
            Assert.Equal("done", messages[^1].Type);
            Assert.Equal(Enumerable.Range(0, expected), messages.Where(m => m.Type == "audio").Select(m => m.Get("sequence").GetInt32()));
        }
    }

    [Theory]
    [InlineData("{not json", "invalid_json")]
    [InlineData("[1,2]", "invalid_request")]
    [InlineData("{\"context_id\":\"x\"}", "invalid_request")]
    [InlineData("{\"type\":\"sing\",\"context_id\":\"x\"}", "unknown_message_type")]
    [InlineData("{\"type\":\"synthesize\",\"text\":\"hi\"}", "invalid_request")]
    [InlineData("{\"type\":\"synthesize\",\"context_id\":\"x\"}", "invalid_request")]
    [InlineData("{\"type\":\"synthesize\",\"context_id\":\"x\",\"text\":\"hi\",\"sampling\":{\"temperature\":\"hot\"}}", "invalid_request")]
    [InlineData("{\"type\":\"synthesize\",\"context_id\":\"x\",\"text\":\"hi\",\"v\":2}", "unsupported_version")]
    [InlineData("{\"type\":\"text\",\"context_id\":\"nobody\",\"text\":\"hi\"}", "unknown_context")]
    [InlineData("{\"type\":\"cancel\",\"context_id\":\"nobody\"}", "unknown_context")]
    [InlineData("{\"type\":\"flush\",\"context_id\":\"nobody\"}", "unknown_context")]
    [InlineData("{\"type\":\"synthesize\",\"context_id\":\"x\",\"text\":\"hi\",\"voice\":\"nobody\"}", "unknown_voice")]
    [InlineData("{\"type\":\"synthesize\",\"context_id\":\"x\",\"text\":\"hi\",\"voice\":\"../etc\"}", "invalid_request")]
    [InlineData("{\"type\":\"synthesize\",\"context_id\":\"x\",\"text\":\"hi\",\"language\":\"xx\"}", "unsupported_language")]
    [InlineData("{\"type\":\"synthesize\",\"context_id\":\"x\",\"text\":\"  \"}", "empty_text")]
    [InlineData("{\"type\":\"synthesize\",\"context_id\":\"x\",\"text\":\"reject:invalid_options\"}", "invalid_options")]
    [InlineData("{\"type\":\"synthesize\",\"context_id\":\"x\",\"text\":\"fail:deadline_exceeded\"}", "deadline_exceeded")]
    public async Task BadMessage_GetsItsErrorCode_AndTheSocketStaysUsable(string message, string code)
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws"));
        await client.SendTextAsync(message);
        var error = await client.NextErrorAsync();
        Assert.Equal(code, error.Code);
        Assert.False(string.IsNullOrEmpty(error.Get("message").GetString()));

        await client.AssertUsableAsync();
    }

    [Fact]
    public async Task Busy_CarriesRetryAfter_AndContextId()
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws"));
        await client.SendAsync(Synth("b1", "reject:busy"));
        var error = await client.ReceiveJsonAsync();
        Assert.Equal("busy", error.Code);
        Assert.Equal("b1", error.ContextId);
        Assert.True(error.Get("retryable").GetBoolean());
        Assert.Equal(1500, error.Get("retry_after_ms").GetInt64());
        await client.AssertUsableAsync();
    }

    [Fact]
    public async Task TextTooLong_IsRefused_BothAtStartAndAcrossIncrementalText()
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws"));
        await client.SendAsync(Synth("long", new string('a', 5001)));
        var error = await client.ReceiveJsonAsync();
        Assert.Equal(("text_too_long", "long"), (error.Code, error.ContextId));

        await client.SendAsync(new { type = "synthesize", context_id = "inc", incremental = true, text = new string('a', 4000) });
        Assert.Equal("started", (await client.ReceiveJsonAsync()).Type);
        await client.SendAsync(new { type = "text", context_id = "inc", text = new string('b', 1001) });
        error = await client.ReceiveJsonAsync();
        Assert.Equal(("text_too_long", "inc"), (error.Code, error.ContextId));
        await client.SendAsync(new { type = "text", context_id = "inc", text = "fits" });
        await client.SendAsync(new { type = "end", context_id = "inc" });
        var messages = (await client.ReadContextsAsync(["inc"]))["inc"];
        Assert.Equal("done", messages[^1].Type);
        Assert.Equal(["fits"], _server.Backend.Sessions.Single(s => s.Start.Incremental).Appended);
    }

    [Fact]
    public async Task BinaryFrameFromClient_IsUnexpected_AndTheSocketStaysUsable()
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws"));
        await client.SendBinaryAsync([1, 2, 3]);
        Assert.Equal("unexpected_binary", (await client.ReceiveJsonAsync()).Code);
        await client.AssertUsableAsync();
    }

    [Fact]
    public async Task DuplicateContextId_WhileActive_IsRefused_AndReusableAfterItEnds()
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws"));
        await client.SendAsync(Synth("dup", "slow"));
        Assert.Equal("started", (await client.ReceiveJsonAsync()).Type);
        await client.SendAsync(Synth("dup", "again"));
        await client.SendAsync(new { type = "cancel", context_id = "dup" });
        var messages = (await client.ReadContextsAsync(["dup"]))["dup"];
        Assert.Contains(messages, m => m.Code == "duplicate_context");
        Assert.Equal("cancelled", messages[^1].Type);

        await client.SendAsync(Synth("dup", "reused"));
        Assert.Equal("done", (await client.ReadContextsAsync(["dup"]))["dup"][^1].Type);
    }

    [Fact]
    public async Task ContextsPerSocket_OverTheLimit_AreRefused()
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws"));
        var ids = Enumerable.Range(0, 16).Select(i => $"s{i}").ToList();
        foreach (var id in ids)
        {
            await client.SendAsync(Synth(id, "slow"));
        }

        await client.SendAsync(Synth("one-too-many"));
        foreach (var id in ids)
        {
            await client.SendAsync(new { type = "cancel", context_id = id });
        }

        var byContext = await client.ReadContextsAsync([.. ids, "one-too-many"]);
        Assert.Equal("too_many_contexts", byContext["one-too-many"].Single().Code);
        Assert.All(ids, id => Assert.Equal("cancelled", byContext[id][^1].Type));
        await client.AssertUsableAsync();
    }

    [Fact]
    public async Task Cancel_IsAcknowledged_NoAudioFollowsTheAck_AndTheSessionIsCancelled()
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws"));
        await client.SendAsync(Synth("talk", "slow"));
        var audio = 0;
        while (audio < 2)
        {
            var message = await client.ReceiveAsync();
            if (message?.Type == "audio")
            {
                audio++;
            }
        }

        await client.SendAsync(new { type = "cancel", context_id = "talk" });
        Received? next;
        do
        {
            next = await client.ReceiveAsync();
            Assert.NotNull(next);
        }
        while (next.Type != "cancelled");

        Assert.Equal("talk", next.ContextId);
        // Nothing of that context after the ack: the next message on the socket is for a new context.
        await client.SendAsync(Synth("after"));
        var first = await client.ReceiveJsonAsync();
        Assert.Equal(("started", "after"), (first.Type, first.ContextId));
        var session = _server.Backend.Sessions.First(s => s.Start.Text == "slow");
        Assert.True(session.CancelCalled);
        Assert.True(SpinWait.SpinUntil(() => session.Disposed, TimeSpan.FromSeconds(5)));
        await client.ReadContextsAsync(["after"]);
    }

    [Fact]
    public async Task Incremental_TextFlushEnd_SpeaksEverythingThenDone()
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws"));
        await client.SendAsync(new { type = "synthesize", context_id = "llm", incremental = true, language = "en" });
        await client.SendAsync(new { type = "text", context_id = "llm", text = "Hello " });
        await client.SendAsync(new { type = "flush", context_id = "llm" });
        await client.SendAsync(new { type = "text", context_id = "llm", text = "world.", flush = true });
        await client.SendAsync(new { type = "text", context_id = "llm", text = " Bye." });
        await client.SendAsync(new { type = "end", context_id = "llm" });
        var messages = (await client.ReadContextsAsync(["llm"]))["llm"];
        Assert.Equal([0, 1, 2], messages.Where(m => m.Type == "audio").Select(m => m.Get("sequence").GetInt32()));
        Assert.Equal("done", messages[^1].Type);
        Assert.Equal(["Hello ", "world.", " Bye."], _server.Backend.Sessions.Single().Appended);

        // Incremental messages for a one-shot context are refused.
        await client.SendAsync(Synth("once", "slow"));
        Assert.Equal("started", (await client.ReceiveJsonAsync()).Type);
        await client.SendAsync(new { type = "text", context_id = "once", text = "more" });
        await client.SendAsync(new { type = "cancel", context_id = "once" });
        var once = (await client.ReadContextsAsync(["once"]))["once"];
        Assert.Contains(once, m => m.Code == "invalid_request");
    }

    [Fact]
    public async Task Incremental_TextForASessionThatAlreadyEnded_TheContextEndsWithTheSessionsOwnOutcome()
    {
        // The session refused busy and went away; the client's next text meets no session (unavailable) before the
        // busy has come through the stream. The client must hear busy, the real outcome, not the race's unavailable.
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws"));
        await client.SendAsync(new { type = "synthesize", context_id = "raced", incremental = true, language = "en" });
        await client.SendAsync(new { type = "text", context_id = "raced", text = "gone" });

        var messages = (await client.ReadContextsAsync(["raced"]))["raced"];

        Assert.Equal(("error", "busy"), (messages[^1].Type, messages[^1].Code));
        Assert.DoesNotContain(messages, m => m.Code == "unavailable");
    }

    [Fact]
    public async Task ThirtyTwoContexts_OverFourSockets_AllCompleteInOrder()
    {
        var clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ProtocolClient.ConnectAsync(_server.Ws("/v1/ws"))));
        try
        {
            var runs = clients.Select(async (client, s) =>
            {
                var ids = Enumerable.Range(0, 8).Select(i => $"s{s}c{i}").ToList();
                foreach (var id in ids)
                {
                    await client.SendAsync(Synth(id, "chunks:5 concurrent"));
                }

                return await client.ReadContextsAsync(ids);
            });
            var results = await Task.WhenAll(runs);
            var all = results.SelectMany(r => r).ToList();
            Assert.Equal(32, all.Count);
            Assert.All(all, pair =>
            {
                Assert.Equal("started", pair.Value[0].Type);
                Assert.Equal("done", pair.Value[^1].Type);
                Assert.Equal(Enumerable.Range(0, 5), pair.Value.Where(m => m.Type == "audio").Select(m => m.Get("sequence").GetInt32()));
            });
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
    public async Task OversizeMessage_ClosesWith1009()
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws"));
        await client.SendTextAsync("{\"type\":\"synthesize\",\"context_id\":\"big\",\"text\":\"" + new string('a', 70 * 1024) + "\"}");
        var next = await client.ReceiveAsync();
        Assert.Null(next);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, client.Socket.CloseStatus);
        Assert.Equal("message_too_big", client.Socket.CloseStatusDescription);
    }

    [Fact]
    public async Task NotAWebSocketRequest_Gets400()
    {
        var response = await _server.Http.GetAsync(new Uri("/v1/ws", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }
}
