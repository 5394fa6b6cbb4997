using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;
using Sawt.Contracts;
using Sawt.Streaming;

namespace Sawt.EndToEnd.Tests.Cluster;

/// <summary>
/// Issue 12's silo kill: a silo dies mid-stream (killed, no drain) on a three-silo cluster over a real Redis. Once the
/// others have declared it dead, every context it touched ends within a bound (retryably where it cannot go on), and
/// a context it did not touch completes. Contexts are incremental, so what runs at the kill is the test's choice.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class SiloKillTests(SiloKillFixture cluster) : IClassFixture<SiloKillFixture>
{
    /// <summary>Most contexts opened, one after another, until each kind needed turned up (about one in twenty is cut off).</summary>
    private const int MaxArrangeContexts = 400;

    /// <summary>Bound on the cluster doing something by itself: starting, declaring the victim dead.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Bound, from the death declaration, on every context's terminal message: a lost session or stream is found by
    /// the gateway within its probe period plus probe timeout; the rest is margin for speaking on a loaded machine.
    /// </summary>
    private static readonly TimeSpan AfterDetection = SiloKillFixture.StreamProbeAfter + SiloKillFixture.StreamProbeTimeout + TimeSpan.FromSeconds(40);

    private readonly AudioLedger _ledger = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>
    /// The victim runs as a process of its own: the stream queues it reads are those no in-process silo reads, and the
    /// queue balancer hands it some only after it joined. Until it reads one, no context can be cut off by it (one CI run
    /// searched 400 contexts while the in-process silos still read every queue), so the arrangement waits for that.
    /// </summary>
    private async Task WaitUntilTheVictimReadsAQueueAsync()
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            var factories = Enumerable.Range(0, cluster.Host.SiloCount)
                .Where(cluster.Host.IsSiloRunning)
                .Select(i => cluster.Host.SiloServices(i).GetRequiredKeyedService<IQueueAdapterFactory>(StreamNames.Provider))
                .OfType<LongPollQueueAdapterFactory>()
                .ToList();
            var total = factories[0].GetStreamQueueMapper().GetAllQueues().Count();
            var readInProcess = factories.SelectMany(f => f.QueuesRead).Distinct().Count();
            if (readInProcess < total)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The in-process silos still read all {total} stream queues {Bound} after the victim joined.");
            await Task.Delay(250, Token);
        }
    }

    [Fact]
    public async Task SiloKilledMidStream_ItsContextsEndRetryablyWithinBoundAfterDetection_OthersComplete()
    {
        await cluster.Host.WaitForReadyWorkersAsync(3, Token);
        var victim = cluster.Victim.Endpoint;
        await WaitUntilTheVictimReadsAQueueAsync();
        await using var client = await WsTestClient.ConnectAsync(cluster.Host.WebSocketUri(), Token);

        // One context hosted on the victim; one cut off by it (its session elsewhere, its stream's delivery and the
        // subscription's only copies on it); one with nothing on it (route and workers elsewhere); and, if it turns up on
        // the way, one whose T3 or decoder worker was on it. Which silo holds what follows from the session id the
        // gateway draws, so contexts are opened until each kind turned up; the others are cancelled at once.
        Kept? hosted = null, cutOff = null, untouched = null, workerLost = null;
        var seen = new List<StreamRoute>();
        for (var i = 0; i < MaxArrangeContexts && (hosted is null || cutOff is null || untouched is null); i++)
        {
            var id = "k" + i;
            await client.SendAsync(new { type = "synthesize", context_id = id, incremental = true, language = "en" }, Token);
            var started = await client.ReceiveUntilAsync(_ledger.Watching(m => m.ContextId == id && m.Type is "started" or "error"), Token);
            Assert.Equal("started", started.Type);
            var session = Guid.Parse((string)started.Json["session_id"]!);
            var route = await StreamRoute.LocateAsync(cluster.Host, session, outOfProcess: victim);
            seen.Add(route);
            var kept = new Kept(id, route);
            var workers = cluster.WorkerSilosOf(session);
            if (hosted is null && route.Session == victim)
            {
                hosted = kept;
            }
            else if (cutOff is null && route.CutOffBy(victim))
            {
                cutOff = kept;
            }
            else if (untouched is null && route.Survives(victim) && route.Agent != victim && workers is { } w && w.T3 != victim && w.Decoder != victim)
            {
                untouched = kept;
            }
            else if (workerLost is null && route.Survives(victim) && workers is { } lostWorkers && (lostWorkers.T3 == victim || lostWorkers.Decoder == victim))
            {
                workerLost = kept;
            }
            else
            {
                await client.SendAsync(new { type = "cancel", context_id = id }, Token);
                await EndsAsync(client, [id], Bound);
            }
        }

        Assert.True(hosted is not null && cutOff is not null && untouched is not null, $"{seen.Count} contexts did not give each kind: {string.Join("; ", seen)}");
        List<Kept> open = [.. new[] { hosted, cutOff, untouched, workerLost }.OfType<Kept>()];
        foreach (var context in open)
        {
            await client.SendAsync(new { type = "text", context_id = context.Id, text = "Hello there.", flush = true }, Token);
            await client.ReceiveUntilAsync(_ledger.Watching(m => m.ContextId == context.Id && m.Type == "audio"), Token);
        }

        cluster.Victim.Kill();
        await cluster.WaitUntilDeclaredDeadAsync(victim, Bound, Token);

        // Declared dead. The hosted context's client sends nothing more (it waits, as one whose text has all been sent
        // would): only the gateway can tell it. The others are spoken to their end. Each ends within the bound.
        foreach (var context in open.Where(c => c != hosted))
        {
            await client.SendAsync(new { type = "text", context_id = context.Id, text = " And now the rest of it." }, Token);
            await client.SendAsync(new { type = "end", context_id = context.Id }, Token);
        }

        var ends = await EndsAsync(client, open.Select(c => c.Id), AfterDetection);
        // The hosted session died with the silo: only a retryable error can tell its client.
        var lost = ends[hosted.Id];
        Assert.True(lost.Type == "error" && (string?)lost.Json["code"] == "unavailable" && (bool)lost.Json["retryable"]!, $"{hosted.Route}: {lost.Json.ToJsonString()}");

        // The cut-off and untouched sessions survive: each completes with its audio whole, also where the victim carried
        // its stream (the gateway fetches what the stream lost from the session itself).
        _ledger.AssertDoneWhole(ends[cutOff.Id], $"cut off, {cutOff.Route}");
        _ledger.AssertDoneWhole(ends[untouched.Id], $"untouched, {untouched.Route}");

        // A session whose worker died while generating for it loses that worker's tokens: it ends retryably (a worker
        // found gone before a call is replaced; one lost mid-generation is not resumed elsewhere), else completes whole.
        if (workerLost is not null && ends[workerLost.Id].Type != "done")
        {
            var end = ends[workerLost.Id];
            Assert.True(end.Type == "error" && (bool)end.Json["retryable"]!, $"worker lost, {workerLost.Route}: {end.Json.ToJsonString()}");
        }
        else if (workerLost is not null)
        {
            _ledger.AssertDoneWhole(ends[workerLost.Id], $"worker lost, {workerLost.Route}");
        }
    }

    /// <summary>Reads until each listed context has its terminal message, failing when <paramref name="bound"/> passes first.</summary>
    private async Task<Dictionary<string, ServerMessage>> EndsAsync(WsTestClient client, IEnumerable<string> ids, TimeSpan bound)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(bound);
        var open = ids.ToHashSet(StringComparer.Ordinal);
        var ends = new Dictionary<string, ServerMessage>(StringComparer.Ordinal);
        while (open.Count > 0)
        {
            ServerMessage end;
            try
            {
                end = await client.ReceiveUntilAsync(
                    _ledger.Watching(m => m.ContextId is { } id && open.Contains(id) && (m.Type is "done" or "cancelled" || (m.Type == "error" && (bool)m.Json["context_ended"]!))),
                    deadline.Token);
            }
            catch (OperationCanceledException) when (!Token.IsCancellationRequested)
            {
                Assert.Fail($"No terminal message within {bound.TotalSeconds} s for {string.Join(", ", open)}: lost silently.");
                throw;
            }

            open.Remove(end.ContextId!);
            ends[end.ContextId!] = end;
        }

        return ends;
    }

    private sealed record Kept(string Id, StreamRoute Route);
}
