using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace Sawt.EndToEnd.Tests.BadInput;

/// <summary>
/// Runs /ws/tts cases against the real gateway, one socket each (the guide's protocol closes on every error): a
/// refusal is the error status before any audio, then close 1000 with the code as reason.
/// </summary>
internal sealed class CompatCorpusRunner(Uri uri, CancellationToken cancellationToken)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    public async Task<IReadOnlyList<string>> RunAsync(IReadOnlyList<CompatCase> cases)
    {
        var failures = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (c, _) =>
        {
            try
            {
                if (await RunCaseAsync(c) is { } failure)
                {
                    failures.Enqueue($"{c.Id}: {failure}");
                }
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                failures.Enqueue($"{c.Id}: {exception.GetType().Name}: {exception.Message}");
            }
        });
        return [.. failures];
    }

    private async Task<string?> RunCaseAsync(CompatCase c)
    {
        await using var client = await WsTestClient.ConnectAsync(uri, cancellationToken);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(Wait);
        await client.SendFrameAsync(c.Frame, c.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, wait.Token);
        var (type, payload) = await client.NextFrameAsync(wait.Token);
        switch (c.Expect)
        {
            case Refused refused:
                if (type != WebSocketMessageType.Text)
                {
                    return $"got {type} before the error (a refused request must not be spoken)";
                }

                var error = JsonNode.Parse(payload)!;
                if ((string?)error["status"] != "error" || (string?)error["code"] != refused.Code || string.IsNullOrEmpty((string?)error["message"]))
                {
                    return $"got {error.ToJsonString()}, expected the error status {refused.Code}";
                }

                var (next, _) = await client.NextFrameAsync(wait.Token);
                return next == WebSocketMessageType.Close && client.CloseStatus == WebSocketCloseStatus.NormalClosure && client.CloseStatusDescription == refused.Code
                    ? null
                    : $"after the error: {next} {client.CloseStatus} '{client.CloseStatusDescription}', expected close 1000 '{refused.Code}'";
            case ClosedWith closed:
                while (type != WebSocketMessageType.Close)
                {
                    (type, _) = await client.NextFrameAsync(wait.Token);
                }

                return client.CloseStatus == closed.Status ? null : $"closed with {client.CloseStatus}, expected {closed.Status}";
            default:
                var audio = 0;
                while (type == WebSocketMessageType.Binary)
                {
                    audio += payload.Length;
                    (type, payload) = await client.NextFrameAsync(wait.Token);
                }

                var end = type == WebSocketMessageType.Text ? JsonNode.Parse(payload) : null;
                return audio > 0 && (string?)end?["status"] == "complete" ? null : $"accepted request ended with {type} {end?.ToJsonString()} after {audio} bytes";
        }
    }
}
