using System.Net.WebSockets;
using Sawt.Client.Tests.Infrastructure;
using Sawt.Protocol;

namespace Sawt.Client.Tests;

/// <summary>
/// The connection against a scripted socket: what it sends for each call, how it routes interleaved and fragmented
/// frames to contexts, how every ending surfaces, and what a dropped socket does. No network, no clock: reconnect
/// delays are zero.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SawtConnectionTests
{
    private static readonly ReconnectPolicy Immediate = new() { InitialDelay = TimeSpan.Zero, Jitter = 0, MaxAttempts = 3 };

    [Fact]
    public async Task Contexts_InterleavedFragmentedFrames_EachGetsItsOwnChunksInOrder()
    {
        using var bound = Bound();
        var socket = new ScriptedSocket();
        using var client = Client(socket);
        await using var connection = await client.ConnectAsync(bound.Token);
        await using var a = await OpenAsync(connection, socket, "a", bound.Token);
        await using var b = await OpenAsync(connection, socket, "b", bound.Token);

        socket.ServerSendsText(WireText.Audio("a", 0, 5), fragments: 3);
        socket.ServerSendsBinary(WireText.Payload("a", 0, 5), fragments: 2);
        socket.ServerSendsText(WireText.Audio("b", 0, 7));
        socket.ServerSendsBinary(WireText.Payload("b", 0, 7), fragments: 3);
        socket.ServerSendsText(WireText.Audio("a", 1, 3, isFinal: true));
        socket.ServerSendsBinary(WireText.Payload("a", 1, 3));
        socket.ServerSendsText(WireText.Done("b", 1));
        socket.ServerSendsText(WireText.Done("a", 2));

        var chunksA = await CollectAsync(a, bound.Token);
        var chunksB = await CollectAsync(b, bound.Token);

        Assert.Equal(new[] { 0, 1 }, chunksA.Select(c => c.Metadata.Sequence));
        Assert.Equal(WireText.Payload("a", 0, 5), chunksA[0].Data.ToArray());
        Assert.Equal(WireText.Payload("a", 1, 3), chunksA[1].Data.ToArray());
        Assert.Equal(WireText.Payload("b", 0, 7), Assert.Single(chunksB).Data.ToArray());
        Assert.Equal(2, (await a.Completion)!.Chunks);
        Assert.Equal(1, (await b.Completion)!.Chunks);
    }

    [Fact]
    public async Task Context_TextFlushEndAndStream_SendTheDocumentedMessages()
    {
        using var bound = Bound();
        var socket = new ScriptedSocket();
        using var client = Client(socket);
        await using var connection = await client.ConnectAsync(bound.Token);
        await using var context = await OpenAsync(connection, socket, "c", bound.Token);

        await context.SendTextAsync("Hello", flush: true, bound.Token);
        var text = await socket.ClientSentAsync(bound.Token);
        await context.FlushAsync(bound.Token);
        var flush = await socket.ClientSentAsync(bound.Token);
        await context.StreamTextAsync(Tokens("Good", "", " bye."), bound.Token);
        var streamed = new[] { await socket.ClientSentAsync(bound.Token), await socket.ClientSentAsync(bound.Token), await socket.ClientSentAsync(bound.Token) };

        Assert.Equal(("text", "c", "Hello", "true"), (WireText.Type(text), WireText.Field(text, "context_id"), WireText.Field(text, "text"), WireText.Field(text, "flush")));
        Assert.Equal(("flush", "c"), (WireText.Type(flush), WireText.Field(flush, "context_id")));
        Assert.Equal(new[] { "text", "text", "end" }, streamed.Select(WireText.Type));
        Assert.Equal(new[] { "Good", " bye." }, streamed[..2].Select(m => WireText.Field(m, "text")));
        Assert.Equal("(absent)", WireText.Field(streamed[0], "flush"));
    }

    [Fact]
    public async Task Context_Cancel_SendsCancelAndEndsWithoutError()
    {
        using var bound = Bound();
        var socket = new ScriptedSocket();
        using var client = Client(socket);
        await using var connection = await client.ConnectAsync(bound.Token);
        await using var context = await OpenAsync(connection, socket, "x", bound.Token);
        socket.ServerSendsText(WireText.Audio("x", 0, 2));
        socket.ServerSendsBinary([1, 2]);

        await context.CancelAsync(bound.Token);
        var cancel = await socket.ClientSentAsync(bound.Token);
        socket.ServerSendsText(WireText.Cancelled("x"));
        var chunks = await CollectAsync(context, bound.Token);

        Assert.Equal(("cancel", "x"), (WireText.Type(cancel), WireText.Field(cancel, "context_id")));
        Assert.Single(chunks);
        Assert.Null(await context.Completion);
    }

    [Fact]
    public async Task Context_TerminalError_ThrowsTypedWithRetryHint_AndRefusalsDoNotEndIt()
    {
        using var bound = Bound();
        var socket = new ScriptedSocket();
        using var client = Client(socket);
        await using var connection = await client.ConnectAsync(bound.Token);
        await using var context = await OpenAsync(connection, socket, "e", bound.Token);

        socket.ServerSendsText(WireText.Error("e", ended: false, ErrorCodes.TextTooLong));
        socket.ServerSendsText(WireText.Error("e", ended: true, ErrorCodes.Busy, retryable: true, retryAfterMs: 1500));
        var error = await Assert.ThrowsAsync<SawtException>(() => CollectAsync(context, bound.Token));

        Assert.Equal((ErrorCodes.Busy, true, TimeSpan.FromMilliseconds(1500), "e"), (error.Code, error.Retryable, error.RetryAfter, error.ContextId));
        Assert.Equal(ErrorCodes.TextTooLong, Assert.Single(context.Refusals).Code);
        Assert.Same(error, await Assert.ThrowsAsync<SawtException>(() => context.Completion));
    }

    [Fact]
    public async Task OpenContext_RefusedSynthesize_ThrowsItsCode()
    {
        using var bound = Bound();
        var socket = new ScriptedSocket();
        using var client = Client(socket);
        await using var connection = await client.ConnectAsync(bound.Token);

        var open = connection.OpenContextAsync(new ContextOptions { ContextId = "v", Voice = "nobody" }, bound.Token);
        var synthesize = await socket.ClientSentAsync(bound.Token);
        socket.ServerSendsText(WireText.Error("v", ended: true, ErrorCodes.UnknownVoice));
        var error = await Assert.ThrowsAsync<SawtException>(() => open);

        Assert.Equal(("synthesize", "nobody", "true", "(absent)"), (WireText.Type(synthesize), WireText.Field(synthesize, "voice"), WireText.Field(synthesize, "incremental"), WireText.Field(synthesize, "text")));
        Assert.Equal((ErrorCodes.UnknownVoice, false), (error.Code, error.Retryable));
    }

    [Fact]
    public async Task DroppedSocket_FailsContextsInFlightRetryable_ThenNewContextsWorkOnTheNextSocket()
    {
        using var bound = Bound();
        var first = new ScriptedSocket();
        var second = new ScriptedSocket();
        using var client = Client(first, second);
        await using var connection = await client.ConnectAsync(bound.Token);
        await using var inFlight = await OpenAsync(connection, first, "old", bound.Token);

        first.Drop();
        var lost = await Assert.ThrowsAsync<SawtException>(() => inFlight.Completion);
        await using var after = await OpenAsync(connection, second, "new", bound.Token);
        second.ServerSendsText(WireText.Done("new", 0));

        Assert.Equal((ErrorCodes.ConnectionLost, true, "old"), (lost.Code, lost.Retryable, lost.ContextId));
        Assert.Equal(0, (await after.Completion)!.Chunks);
        Assert.Equal(1, connection.Reconnections);
        await Assert.ThrowsAsync<SawtException>(() => inFlight.SendTextAsync("too late", cancellationToken: bound.Token));
    }

    [Fact]
    public async Task PairingBroken_FailsContextsWithProtocolViolation()
    {
        using var bound = Bound();
        var first = new ScriptedSocket();
        using var client = Client(first, new ScriptedSocket());
        await using var connection = await client.ConnectAsync(bound.Token);
        await using var context = await OpenAsync(connection, first, "p", bound.Token);

        first.ServerSendsText(WireText.Audio("p", 0, 4));
        first.ServerSendsText(WireText.Done("p", 1));

        Assert.Equal(ErrorCodes.ProtocolViolation, (await Assert.ThrowsAsync<SawtException>(() => context.Completion)).Code);
    }

    [Fact]
    public async Task Reconnect_KeyRefused_GivesUpAndNewContextsThrowUnauthorized()
    {
        using var bound = Bound();
        var first = new ScriptedSocket();
        var calls = 0;
        using var client = new SawtClient(Options())
        {
            SocketFactory = _ => ++calls == 1
                ? Task.FromResult<WebSocket>(first)
                : throw new SawtException(ErrorCodes.Unauthorized, "refused", retryable: false) { StatusCode = 401 },
        };
        await using var connection = await client.ConnectAsync(bound.Token);
        await using var inFlight = await OpenAsync(connection, first, "old", bound.Token);

        first.Drop();

        // Its failure shows the connection saw the drop, so the next open waits for the reconnection.
        await Assert.ThrowsAsync<SawtException>(() => inFlight.Completion);
        var error = await Assert.ThrowsAsync<SawtException>(() => connection.OpenContextAsync(cancellationToken: bound.Token));

        Assert.Equal((ErrorCodes.Unauthorized, 401), (error.Code, error.StatusCode));
        Assert.Equal(2, calls);
    }

    private static SawtClientOptions Options() => new() { BaseAddress = new Uri("http://gateway.test/"), Reconnect = Immediate };

    private static SawtClient Client(params ScriptedSocket[] sockets)
    {
        var queue = new Queue<ScriptedSocket>(sockets);
        return new SawtClient(Options())
        {
            SocketFactory = _ => queue.TryDequeue(out var next)
                ? Task.FromResult<WebSocket>(next)
                : throw SawtException.Lost("No more scripted sockets."),
        };
    }

    /// <summary>Opens a context the way the gateway answers it: the client's <c>synthesize</c>, then <c>started</c>.</summary>
    private static async Task<SawtContext> OpenAsync(SawtConnection connection, ScriptedSocket socket, string id, CancellationToken cancellationToken)
    {
        var open = connection.OpenContextAsync(new ContextOptions { ContextId = id, Language = "en" }, cancellationToken);
        var synthesize = await socket.ClientSentAsync(cancellationToken);
        Assert.Equal(("synthesize", id), (WireText.Type(synthesize), WireText.Field(synthesize, "context_id")));
        socket.ServerSendsText(WireText.Started(id));
        return await open;
    }

    private static async Task<List<AudioChunk>> CollectAsync(SawtContext context, CancellationToken cancellationToken)
    {
        var chunks = new List<AudioChunk>();
        await foreach (var chunk in context.ReadAudioAsync(cancellationToken))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    private static async IAsyncEnumerable<string> Tokens(params string[] tokens)
    {
        foreach (var token in tokens)
        {
            await Task.Yield();
            yield return token;
        }
    }

    /// <summary>Every wait of a unit test is bounded: nothing here takes more than milliseconds when it works.</summary>
    private static CancellationTokenSource Bound()
    {
        var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(20));
        return bound;
    }
}
