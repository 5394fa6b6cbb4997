using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using Sawt.Contracts.Workers;

namespace Sawt.EndToEnd.Tests.Cluster;

/// <summary>
/// Issue 12's gateway kill: a standalone gateway process dies (SIGKILL) with contexts mid-stream. Its clients see the
/// connection close, and the silos end its sessions within the session lease, because nobody renews it any more.
/// </summary>
public sealed partial class RedisClusterTests
{
    private const int KillSockets = 2;
    private const int KillContextsPerSocket = 4;

    /// <summary>The killed gateway's session lease: short, so the test ends soon.</summary>
    private static readonly TimeSpan KilledGatewayLease = TimeSpan.FromSeconds(6);

    /// <summary>Renewed every second: a stall of five on this loaded machine would be needed to lapse a listened-to session.</summary>
    private static readonly TimeSpan KilledGatewayRenewal = TimeSpan.FromSeconds(1);

    /// <summary>From the kill to every client's close: the kernel closes a killed process's sockets at once.</summary>
    private static readonly TimeSpan CloseBound = TimeSpan.FromSeconds(10);

    /// <summary>
    /// From the kill to empty workers and no session left: the lease, then a step for the cancellation to reach the
    /// workers; the rest is margin for a loaded machine.
    /// </summary>
    private static readonly TimeSpan CleanupBound = KilledGatewayLease + TimeSpan.FromSeconds(15);

    /// <summary>Bound on the cluster doing something by itself: a gateway starting, contexts reaching audio.</summary>
    private static readonly TimeSpan ArrangeBound = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task GatewayKilledMidStream_ClientsSeeTheClose_ItsSessionsEndWithinTheLease_ClusterStillServes()
    {
        await cluster.WaitForReadyWorkersAsync(RedisClusterFixture.SiloCount, Token);
        using var gateway = cluster.Host.StartGatewayProcess(
        [
            "--Sawt:Gateway:SessionLease", KilledGatewayLease.ToString("c", CultureInfo.InvariantCulture),
            "--Sawt:Gateway:SessionLeaseRenewal", KilledGatewayRenewal.ToString("c", CultureInfo.InvariantCulture),
        ]);
        await WaitUntilAsync(() => IsReadyAsync(new Uri(gateway.Endpoint)), ArrangeBound, "the gateway process did not become ready");

        var sockets = new List<(WsTestClient Client, SocketPump Pump)>();
        try
        {
            for (var s = 0; s < KillSockets; s++)
            {
                var client = await WsTestClient.ConnectAsync(new UriBuilder(gateway.Endpoint) { Scheme = "ws", Path = "/v1/ws" }.Uri, Token);
                sockets.Add((client, SocketPump.Start(client)));
            }

            // Half the contexts incremental and never ended (they cannot finish by themselves: without the lease each waits
            // for input until InputIdleTimeout, 2 min), half a long text (24 sentences, about 6000 tokens, 240 s of audio,
            // within the 300 s limit): on a loaded machine each keeps a worker busy at the kill; on a quiet one it may be
            // spoken whole before the kill (one CI run: 4339 tokens in about 12 s), and the incremental ones carry the proof.
            var longText = string.Join(' ', Enumerable.Repeat("This sentence is long enough to keep a worker busy for a while.", 24));
            foreach (var ((client, _), s) in sockets.Select((x, i) => (x, i)))
            {
                for (var c = 0; c < KillContextsPerSocket; c++)
                {
                    var id = $"g{s}c{c}";
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

            await WaitUntilAsync(
                () => Task.FromResult(sockets.All(x => x.Pump.HeardAudioFrom(KillContextsPerSocket))),
                ArrangeBound,
                "not every context reached audio",
                () => Task.FromResult(string.Join("; ", sockets.SelectMany(x => x.Pump.Ends.Values).Select(m => m.Json.ToJsonString()))));

            // While the gateway lives it renews the leases: two leases on, no context has ended but for a one-shot one that
            // spoke its whole text (the tiny bundle speaks about 14 times faster than real time when the machine is quiet,
            // so that can happen: a context served, not a lease lapsed), and the incremental ones, which cannot end by
            // themselves, still speak new text. (The wait lets lease time pass; nothing is measured by it.)
            await Task.Delay(KilledGatewayLease * 2, Token);
            AssertNoneEndedButServedOneShots(sockets);
            var heard = sockets.Select(x => x.Pump.AudioCounts()).ToList();
            foreach (var ((client, _), s) in sockets.Select((x, i) => (x, i)))
            {
                for (var c = 0; c < KillContextsPerSocket; c += 2)
                {
                    await client.SendAsync(new { type = "text", context_id = $"g{s}c{c}", text = " and some more of it.", flush = true }, Token);
                }
            }

            await WaitUntilAsync(
                () => Task.FromResult(sockets.Select((x, s) => Enumerable.Range(0, KillContextsPerSocket).Where(c => c % 2 == 0)
                    .All(c => x.Pump.AudioCount($"g{s}c{c}") > heard[s].GetValueOrDefault($"g{s}c{c}"))).All(ok => ok) || sockets.Any(x => x.Pump.Ends.Values.Any(EndedWhileItsGatewayLived))),
                ArrangeBound,
                "the incremental contexts did not speak their new text");
            AssertNoneEndedButServedOneShots(sockets);
            var contextsOf = sockets.SelectMany(x => x.Pump.Sessions).ToDictionary(p => p.Value, p => p.Key);
            var sessions = contextsOf.Keys.ToHashSet();
            Assert.Equal(KillSockets * KillContextsPerSocket, sessions.Count);

            gateway.Kill();

            // Every client sees its connection close: no close handshake (nobody is left to send one), an aborted socket.
            await Task.WhenAll(sockets.Select(x => x.Pump.Reading)).WaitAsync(CloseBound, Token);
            Assert.All(sockets, x => Assert.True(
                x.Pump.Closed is WebSocketException && x.Client.State is WebSocketState.Aborted or WebSocketState.Closed,
                $"the socket ended with {x.Pump.Closed?.GetType().Name ?? "nothing"} in state {x.Client.State}: {x.Pump.Closed?.Message}"));

            // The silos clean up: nobody renews the leases, so every session cancels itself, its workers' sequences stop,
            // and its activation goes.
            await WaitUntilAsync(async () => await BusyWorkersAsync() is [] && await ActiveOfAsync(sessions) is [], CleanupBound,
                "workers still busy, or sessions of the killed gateway still active",
                async () => $"workers busy: {string.Join(", ", await BusyWorkersAsync())}; contexts whose session is active: {string.Join(", ", (await ActiveOfAsync(sessions)).Select(s => contextsOf[s]).Order())}");

            // And the cluster still serves, through a gateway that lives.
            await using var after = await WsTestClient.ConnectAsync(cluster.Host.WebSocketUri(), Token);
            await after.SendAsync(new { type = "synthesize", context_id = "after", text = "Still here.", language = "en" }, Token);
            Assert.Equal("done", (await after.ReceiveUntilAsync(m => m.ContextId == "after" && m.Type is "done" or "error" or "cancelled", Token)).Type);
        }
        finally
        {
            foreach (var (client, _) in sockets)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// A context that ended before the kill: only a one-shot one (odd index) may have, by speaking its whole text. Any other
    /// end, an incremental context's or an error, means the living gateway's lease did not hold.
    /// </summary>
    private static bool EndedWhileItsGatewayLived(ServerMessage end) =>
        !(end.Type == "done" && end.ContextId is { } id && int.Parse(id[(id.LastIndexOf('c') + 1)..], CultureInfo.InvariantCulture) % 2 == 1);

    private static void AssertNoneEndedButServedOneShots(List<(WsTestClient Client, SocketPump Pump)> sockets) =>
        Assert.All(sockets, x => Assert.False(
            x.Pump.Ends.Values.Any(EndedWhileItsGatewayLived),
            $"contexts ended while their gateway lived: {string.Join("; ", x.Pump.Ends.Values.Select(m => m.Json.ToJsonString()))}"));

    private static async Task<bool> IsReadyAsync(Uri gateway)
    {
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            return (await http.GetAsync("/readyz", Token)).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false; // not listening yet
        }
        catch (TaskCanceledException) when (!Token.IsCancellationRequested)
        {
            return false; // listening, not answering yet
        }
    }

    /// <summary>Every worker's own load (not the registry's last report) that holds an active or queued sequence.</summary>
    private async Task<List<string>> BusyWorkersAsync()
    {
        var workers = await cluster.Host.Client.GetGrain<IWorkerRegistryGrain>(0).List();
        var loads = await Task.WhenAll(workers.Select(w => w.Kind == WorkerKind.T3
            ? cluster.Host.Client.GetGrain<IT3WorkerGrain>(w.WorkerKey).Activate()
            : cluster.Host.Client.GetGrain<IDecoderWorkerGrain>(w.WorkerKey).Activate()));
        return [.. loads.Where(l => l.Active > 0 || l.Queued > 0).Select(l => $"{l.WorkerKey} active {l.Active} queued {l.Queued}")];
    }

    /// <summary>Those of <paramref name="sessions"/> that have an activation anywhere in the cluster.</summary>
    private async Task<List<Guid>> ActiveOfAsync(IReadOnlySet<Guid> sessions) =>
        [.. (await cluster.Host.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics(null, null, Token))
            .Select(s => s.GrainId.TryGetGuidKey(out var key, out _) ? key : Guid.Empty)
            .Where(sessions.Contains)
            .Distinct()];

    /// <summary>Polls <paramref name="condition"/> until it holds, failing with <paramref name="why"/> (and <paramref name="detail"/>) after <paramref name="bound"/>.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan bound, string why, Func<Task<string>>? detail = null)
    {
        var deadline = DateTime.UtcNow + bound;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{why} within {bound}{(detail is null ? string.Empty : ": " + await detail())}");
            }

            await Task.Delay(100, Token);
        }
    }

    /// <summary>
    /// Reads one socket until it ends, so no context waits on a full send queue: audio counts, session ids and terminal
    /// messages per context, and what ended the reading (<see cref="Closed"/>).
    /// </summary>
    private sealed class SocketPump
    {
        private readonly ConcurrentDictionary<string, int> _audio = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, Guid> Sessions { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, ServerMessage> Ends { get; } = new(StringComparer.Ordinal);

        public Task Reading { get; private set; } = Task.CompletedTask;

        /// <summary>What ended the reading: the socket's failure once the server is gone.</summary>
        public Exception? Closed { get; private set; }

        public static SocketPump Start(WsTestClient client)
        {
            var pump = new SocketPump();
            pump.Reading = pump.ReadAsync(client);
            return pump;
        }

        public int AudioCount(string context) => _audio.GetValueOrDefault(context);

        public Dictionary<string, int> AudioCounts() => new(_audio, StringComparer.Ordinal);

        public bool HeardAudioFrom(int contexts) => _audio.Count == contexts;

        private async Task ReadAsync(WsTestClient client)
        {
            await Task.Yield();
            try
            {
                while (true)
                {
                    var message = await client.ReceiveAsync(Token);
                    if (message.ContextId is not { } id)
                    {
                        continue;
                    }

                    switch (message.Type)
                    {
                        case "started":
                            Sessions[id] = Guid.Parse((string)message.Json["session_id"]!);
                            break;
                        case "audio":
                            _audio.AddOrUpdate(id, 1, (_, n) => n + 1);
                            break;
                        case "done" or "cancelled":
                        case "error" when message.Json["context_ended"]?.GetValue<bool>() == true:
                            Ends[id] = message;
                            break;
                    }
                }
            }
            catch (Exception exception) when (exception is WebSocketException or InvalidOperationException)
            {
                Closed = exception;
            }
        }
    }
}
