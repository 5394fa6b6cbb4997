using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Sawt.Gateway.Tests.Infrastructure;

namespace Sawt.Gateway.Tests;

/// <summary>
/// Hostile input on /v1/ws over real Kestrel and the fake cluster (<see cref="FakeSessionBackend"/>): every string
/// field is decoded safely, a refused message changes nothing, refusals end only what they say, and no failure
/// takes the socket or its other contexts down.
/// </summary>
[Trait("Category", "Gateway")]
public sealed class WebSocketBadInputTests : IAsyncLifetime
{
    /// <summary>JSON string bodies that are not valid text (<c>invalid_text</c>), by name.</summary>
    private static readonly (string Name, string Json)[] BrokenStrings =
    [
        ("lone-high-surrogate", "a\\ud800b"),
        ("lone-low-surrogate", "\\udc00"),
        ("nonchar-fffe", "a\\ufffe"),
        ("nul", "\\u0000"),
        ("nonchar-fdd0", "\\ufdd0"),
    ];

    private GatewayServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await GatewayServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string, string, bool> Fields() => new()
    {
        // message template ({0} is the broken string), whether the context id is echoed
        { "synthesize.type", """{"type":"{0}","context_id":"new","text":"hi"}""", true },
        { "synthesize.context_id", """{"type":"synthesize","context_id":"{0}","text":"hi"}""", false },
        { "synthesize.text", """{"type":"synthesize","context_id":"new","text":"{0}"}""", true },
        { "synthesize.language", """{"type":"synthesize","context_id":"new","text":"hi","language":"{0}"}""", true },
        { "synthesize.voice", """{"type":"synthesize","context_id":"new","text":"hi","voice":"{0}"}""", true },
        { "synthesize.output_format.encoding", """{"type":"synthesize","context_id":"new","text":"hi","output_format":{"encoding":"{0}"}}""", true },
        { "text.text", """{"type":"text","context_id":"inc","text":"{0}","flush":true}""", true },
        { "text.context_id", """{"type":"text","context_id":"{0}","text":"hi"}""", false },
        { "flush.context_id", """{"type":"flush","context_id":"{0}"}""", false },
        { "end.context_id", """{"type":"end","context_id":"{0}"}""", false },
        { "cancel.context_id", """{"type":"cancel","context_id":"{0}"}""", false },
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task StringField_NotValidText_IsInvalidText_AndTheSocketAndItsContextsGoOn(string field, string template, bool echoesContext)
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws"));
        await client.SendAsync(new { type = "synthesize", context_id = "inc", incremental = true });
        await client.SendAsync(new { type = "synthesize", context_id = "slow", text = "slow talk" });
        foreach (var (name, broken) in BrokenStrings)
        {
            await client.SendTextAsync(template.Replace("{0}", broken, StringComparison.Ordinal));
            var error = await client.NextErrorAsync();
            Assert.True(error.Code == "invalid_text", $"{field}/{name}: {error.Json}");
            Assert.Contains("offset", error.Get("message").GetString(), StringComparison.Ordinal);
            if (echoesContext)
            {
                Assert.True(error.Json!.Value.TryGetProperty("context_ended", out var ended), $"{field}/{name}");
                // A refused synthesize ends its (never started) context; with a broken type it is no synthesize.
                Assert.Equal(field.StartsWith("synthesize", StringComparison.Ordinal) && field != "synthesize.type", ended.GetBoolean());
            }
            else
            {
                Assert.Null(error.ContextId);
            }
        }

        // The other contexts never heard of it: the slow one still streams and ends as asked, the incremental one
        // spoke none of the refused text.
        await client.SendAsync(new { type = "cancel", context_id = "slow" });
        await client.SendAsync(new { type = "text", context_id = "inc", text = "fine" });
        await client.SendAsync(new { type = "end", context_id = "inc" });
        var byContext = await client.ReadContextsAsync(["slow", "inc"]);
        Assert.Equal("cancelled", byContext["slow"][^1].Type);
        Assert.Equal("done", byContext["inc"][^1].Type);
        Assert.Equal(["fine"], _server.Backend.Sessions.Single(s => s.Start.Incremental).Appended);
        Assert.DoesNotContain(_server.Backend.Sessions, s => s.Start.Text == "hi");
        Assert.Empty(_server.Logs.Problems);
    }

    [Theory]
    [InlineData("""{"type":"text","context_id":"inc","text":"not spoken","flush":"yes"}""", "invalid_request")]
    [InlineData("""{"type":"text","context_id":"inc","text":"not spoken","flush":1}""", "invalid_request")]
    [InlineData("""{"type":"text","context_id":"inc","text":"not spoken","flush":{}}""", "invalid_request")]
    [InlineData("""{"v":2,"type":"text","context_id":"inc","text":"not spoken"}""", "unsupported_version")]
    [InlineData("""{"v":"1","type":"text","context_id":"inc","text":"not spoken"}""", "unsupported_version")]
    [InlineData("""{"type":"text","context_id":"inc","text":"not spoken\u0000"}""", "invalid_text")]
    [InlineData("""{"type":"flush","context_id":"inc","v":[1]}""", "unsupported_version")]
    [InlineData("""{"type":"end","context_id":"inc","v":{}}""", "unsupported_version")]
    public async Task RefusedMessage_ChangesNothing(string refused, string code)
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws"));
        await client.SendAsync(new { type = "synthesize", context_id = "inc", incremental = true });
        Assert.Equal("started", (await client.ReceiveJsonAsync()).Type);
        await client.SendTextAsync(refused);
        var error = await client.ReceiveJsonAsync();
        Assert.Equal((code, "inc", false), (error.Code, error.ContextId, error.Get("context_ended").GetBoolean()));

        // Still open for input (a refused end did not end it), and nothing of the refused text was queued.
        await client.SendAsync(new { type = "text", context_id = "inc", text = "spoken" });
        await client.SendAsync(new { type = "end", context_id = "inc" });
        var messages = (await client.ReadContextsAsync(["inc"]))["inc"];
        Assert.Equal("done", messages[^1].Type);
        Assert.Equal(["spoken"], _server.Backend.Sessions.Single().Appended);
    }

    [Fact]
    public async Task Refusals_EndOnlyARefusedSynthesizeForAnIdleId_NeverAnUnknownContext()
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws"));
        await client.SendAsync(new { type = "synthesize", context_id = "live", text = "slow talk" });
        Assert.Equal("started", (await client.ReceiveJsonAsync()).Type);

        var cases = new (object Message, string Code, string Id, bool Ended)[]
        {
            (new { type = "cancel", context_id = "gone" }, "unknown_context", "gone", false),
            (new { type = "text", context_id = "gone", text = "x" }, "unknown_context", "gone", false),
            (new { type = "flush", context_id = "gone" }, "unknown_context", "gone", false),
            (new { type = "end", context_id = "gone" }, "unknown_context", "gone", false),
            (new { type = "synthesize", context_id = "live", text = "again" }, "duplicate_context", "live", false),
            (new { type = "synthesize", context_id = "live", text = 5 }, "invalid_request", "live", false),
            (new { type = "synthesize", context_id = "fresh", text = 5 }, "invalid_request", "fresh", true),
            (new { type = "synthesize", context_id = "fresh", text = "hi", v = 2 }, "unsupported_version", "fresh", true),
            (new { type = "sing", context_id = "fresh" }, "unknown_message_type", "fresh", false),
        };
        foreach (var (message, code, id, ended) in cases)
        {
            await client.SendAsync(message);
            var error = await client.NextErrorAsync();
            Assert.True((code, id, ended) == (error.Code, error.ContextId, error.Get("context_ended").GetBoolean()), $"{code}/{id}: {error.Json}");
        }

        await client.SendAsync(new { type = "cancel", context_id = "live" });
        Assert.Equal("cancelled", (await client.ReadContextsAsync(["live"]))["live"][^1].Type);

        // Racing a done: the context finished, so a late cancel is unknown_context with context_ended false, and the
        // context has had exactly one terminal message.
        await client.SendAsync(new { type = "cancel", context_id = "live" });
        var late = await client.ReceiveJsonAsync();
        Assert.Equal(("unknown_context", false), (late.Code, late.Get("context_ended").GetBoolean()));
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("1e0")]
    public async Task Version_ANumberEqualToOne_IsVersionOne(string v)
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws"));
        await client.SendTextAsync("{\"v\":" + v + ",\"type\":\"synthesize\",\"context_id\":\"v\",\"text\":\"hi\"}");
        Assert.Equal("done", (await client.ReadContextsAsync(["v"]))["v"][^1].Type);
    }

    [Fact]
    public async Task ContextFailingInTheGateway_EndsWithInternalError_LoggedOnce_OtherContextsGoOn()
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws"));
        await client.SendAsync(new { type = "synthesize", context_id = "bad", text = "throw:events" });
        await client.SendAsync(new { type = "synthesize", context_id = "good", text = "chunks:6 fine" });
        var byContext = await client.ReadContextsAsync(["bad", "good"]);

        var error = byContext["bad"][^1];
        Assert.Equal(("internal_error", true, false), (error.Code, error.Get("context_ended").GetBoolean(), error.Get("retryable").GetBoolean()));
        Assert.Equal("done", byContext["good"][^1].Type);
        Assert.True(_server.Backend.Sessions.Single(s => s.Start.Text == "throw:events").CancelCalled);
        var logged = Assert.Single(_server.Logs.Problems);
        Assert.Equal((LogLevel.Error, 1022), (logged.Level, logged.EventId.Id));
        await client.AssertUsableAsync();
    }

    [Fact]
    public async Task TextFrameThatIsNotUtf8_IsClosedWith1007ByTheWebSocketLayer_EvenForAClientThatReadsLater()
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws"));
        await SendNotUtf8Async(client);

        // The gateway keeps the connection until the client drops it (at most CloseTimeout): returning at once would
        // reset it, and a client that had not read yet would lose the close frame to the reset.
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Null(await client.ReceiveAsync());
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, client.Socket.CloseStatus);
        Assert.Empty(_server.Logs.Problems);
    }

    [Fact]
    public async Task TextFrameThatIsNotUtf8_EndsTheSocketWithItsContexts()
    {
        await using var client = await ProtocolClient.ConnectAsync(_server.Ws("/v1/ws"));
        await client.SendAsync(new { type = "synthesize", context_id = "slow", text = "slow talk" });
        Assert.Equal("started", (await client.ReceiveJsonAsync()).Type);
        await SendNotUtf8Async(client);

        var session = _server.Backend.Sessions.Single();
        Assert.True(SpinWait.SpinUntil(() => session.CancelCalled, TimeSpan.FromSeconds(5)), "the socket's contexts are cancelled with it");
        Received? next;
        do
        {
            next = await client.ReceiveAsync(); // Audio queued before the bad frame may come first.
        }
        while (next is not null);

        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, client.Socket.CloseStatus);
    }

    private static Task SendNotUtf8Async(ProtocolClient client) =>
        client.Socket.SendAsync(new byte[] { (byte)'{', 0xFF, (byte)'}' }, WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);
}
