using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace Sawt.EndToEnd.Tests.BadInput;

/// <summary>
/// Runs /v1/ws cases against the real gateway. Cases the protocol answers on an open socket share sockets: each
/// socket first finishes a context (<see cref="BadInputCorpus.Finished"/>) and opens a witness context that stays
/// idle throughout; after each case a ping (<c>cancel</c> for an unknown id) must be answered, proving the socket
/// still reads; every batch ends with the witness speaking its own text and a fresh synthesis, both to <c>done</c>.
/// Cases that close the socket get one socket each.
/// </summary>
internal sealed class WsCorpusRunner(Uri uri, CancellationToken cancellationToken)
{
    private const int Lanes = 4;
    private const int BatchSize = 40;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<string> _failures = new();
    private int _pings;

    /// <summary>Runs every case; returns one line per failure, each naming its case.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(IReadOnlyList<WsCase> cases)
    {
        var open = cases.Where(c => c.Expect is not ClosedWith).ToList();
        var lanes = Enumerable.Range(0, Lanes).Select(lane => open.Where((_, i) => i % Lanes == lane).ToList());
        await Task.WhenAll(lanes.Select(RunLaneAsync));
        await Parallel.ForEachAsync(
            cases.Where(c => c.Expect is ClosedWith),
            new ParallelOptions { MaxDegreeOfParallelism = Lanes, CancellationToken = cancellationToken },
            async (c, _) => await GuardAsync(c.Id, () => RunClosingAsync(c)));
        return [.. _failures];
    }

    private async Task RunLaneAsync(List<WsCase> lane)
    {
        WsTestClient? client = null;
        var batch = new List<string>();
        foreach (var c in lane)
        {
            try
            {
                client ??= await OpenAsync();
                if (await RunCaseAsync(client, c) is { } failure)
                {
                    _failures.Enqueue($"{c.Id}: {failure}");
                    client = await DropAsync(client);
                    batch.Clear();
                    continue;
                }

                batch.Add(c.Id);
                if (batch.Count == BatchSize || c == lane[^1])
                {
                    if (await EndBatchAsync(client) is { } batchFailure)
                    {
                        _failures.Enqueue($"socket after [{string.Join(", ", batch)}]: {batchFailure}");
                    }

                    client = await DropAsync(client);
                    batch.Clear();
                }
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                _failures.Enqueue($"{c.Id}: {exception.GetType().Name}: {exception.Message}");
                client = await DropAsync(client);
                batch.Clear();
            }
        }
    }

    private async Task<WsTestClient> OpenAsync()
    {
        var client = await WsTestClient.ConnectAsync(uri, cancellationToken);
        await client.SendAsync(new { type = "synthesize", context_id = BadInputCorpus.Finished, text = "Hi.", language = "en" }, cancellationToken);
        if (await ReadToEndAsync(client, BadInputCorpus.Finished) is { } failure)
        {
            throw new InvalidOperationException($"opening synthesis: {failure}");
        }

        await client.SendAsync(new { type = "synthesize", context_id = BadInputCorpus.Witness, incremental = true, language = "en" }, cancellationToken);
        var started = await NextAsync(client);
        return started.Type == "started" && started.ContextId == BadInputCorpus.Witness
            ? client
            : throw new InvalidOperationException($"witness did not start: {started.Json.ToJsonString()}");
    }

    /// <summary>Null when the case got exactly what it expects; else what went wrong.</summary>
    private async Task<string?> RunCaseAsync(WsTestClient client, WsCase c)
    {
        if (c.UsesTarget)
        {
            await client.SendAsync(new { type = "synthesize", context_id = BadInputCorpus.Target, incremental = true, language = "en" }, cancellationToken);
            var started = await NextAsync(client);
            if (started.Type != "started" || started.ContextId != BadInputCorpus.Target)
            {
                return $"target did not start: {started.Json.ToJsonString()}";
            }
        }

        await client.SendFrameAsync(c.Frame, c.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, cancellationToken);
        var ping = $"ping-{Interlocked.Increment(ref _pings)}";
        await client.SendAsync(new { type = "cancel", context_id = ping }, cancellationToken);
        bool pinged = false, answered = false;
        while (!pinged || !answered)
        {
            var message = await NextAsync(client);
            if (message.Type == "error" && message.ContextId == ping && (string?)message.Json["code"] == "unknown_context")
            {
                pinged = true;
            }
            else if (!answered && Answers(c.Expect, message) is { } done)
            {
                answered = done;
            }
            else
            {
                return $"unexpected {message.Json.ToJsonString()} (expected {c.Expect})";
            }
        }

        if (!c.UsesTarget)
        {
            return null;
        }

        // The target was only ever sent refused messages: ending it must speak nothing.
        await client.SendAsync(new { type = "end", context_id = BadInputCorpus.Target }, cancellationToken);
        var messages = await ReadContextAsync(client, BadInputCorpus.Target);
        var last = messages[^1];
        if (last.Type != "done")
        {
            return $"target was disturbed: {last.Json.ToJsonString()}";
        }

        var tokens = (int)last.Json["tokens"]!;
        var spoken = messages.Sum(m => m.Audio?.Length ?? 0);
        return tokens == 0 && spoken == 0 ? null : $"a refused message was spoken ({tokens} tokens, {spoken} audio bytes)";
    }

    /// <summary>True when <paramref name="message"/> completes the expectation, false when it is part of it, null when it does not belong.</summary>
    private static bool? Answers(Expect expect, ServerMessage message) => expect switch
    {
        Refused r when message.Type == "error" && (string?)message.Json["code"] == r.Code && message.ContextId == r.ContextId
            && (r.ContextId is null ? message.Json["context_ended"] is null : (bool?)message.Json["context_ended"] == r.ContextEnded) => true,
        Accepted a when message.ContextId == a.ContextId && message.Type is "started" or "audio" => false,
        Accepted a when message.ContextId == a.ContextId && message.Type == "done" => true,
        _ => null,
    };

    /// <summary>Other contexts were not disturbed: the witness speaks its own text, and a new context completes.</summary>
    private async Task<string?> EndBatchAsync(WsTestClient client)
    {
        await client.SendAsync(new { type = "text", context_id = BadInputCorpus.Witness, text = "Fine." }, cancellationToken);
        await client.SendAsync(new { type = "end", context_id = BadInputCorpus.Witness }, cancellationToken);
        var witness = await ReadContextAsync(client, BadInputCorpus.Witness);
        if (witness[^1].Type != "done" || (int)witness[^1].Json["tokens"]! == 0)
        {
            return $"witness ended with {witness[^1].Json.ToJsonString()}";
        }

        await client.SendAsync(new { type = "synthesize", context_id = "after", text = "Still here.", language = "en" }, cancellationToken);
        return await ReadToEndAsync(client, "after");
    }

    private async Task<string?> RunClosingAsync(WsCase c)
    {
        await using var client = await WsTestClient.ConnectAsync(uri, cancellationToken);
        await client.SendFrameAsync(c.Frame, WebSocketMessageType.Text, cancellationToken);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(Wait);
        while ((await client.NextFrameAsync(wait.Token)).Type != WebSocketMessageType.Close)
        {
            // Whatever came before the close (nothing is expected) does not matter here; the close does.
        }

        var expected = ((ClosedWith)c.Expect).Status;
        return client.CloseStatus == expected ? null : $"closed with {client.CloseStatus} '{client.CloseStatusDescription}', expected {expected}";
    }

    private async Task<string?> ReadToEndAsync(WsTestClient client, string contextId)
    {
        var last = (await ReadContextAsync(client, contextId))[^1];
        return last.Type == "done" ? null : $"{contextId} ended with {last.Json.ToJsonString()}";
    }

    /// <summary>Messages of one context up to its terminal one; any other message on the socket is a failure.</summary>
    private async Task<List<ServerMessage>> ReadContextAsync(WsTestClient client, string contextId)
    {
        var messages = new List<ServerMessage>();
        while (true)
        {
            var message = await NextAsync(client);
            if (message.ContextId != contextId)
            {
                throw new InvalidOperationException($"unexpected {message.Json.ToJsonString()} while waiting for {contextId}");
            }

            messages.Add(message);
            if (message.Type is "done" or "cancelled" || (message.Type == "error" && (bool?)message.Json["context_ended"] == true))
            {
                return messages;
            }
        }
    }

    private async Task<ServerMessage> NextAsync(WsTestClient client)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(Wait);
        return await client.ReceiveAsync(wait.Token);
    }

    private async Task GuardAsync(string id, Func<Task<string?>> run)
    {
        try
        {
            if (await run() is { } failure)
            {
                _failures.Enqueue($"{id}: {failure}");
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            _failures.Enqueue($"{id}: {exception.GetType().Name}: {exception.Message}");
        }
    }

    private static async Task<WsTestClient?> DropAsync(WsTestClient? client)
    {
        if (client is not null)
        {
            await client.DisposeAsync();
        }

        return null;
    }
}
