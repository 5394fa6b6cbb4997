using Microsoft.Extensions.DependencyInjection;
using Sawt.Contracts.Workers;
using Sawt.Grains.Hosting;

namespace Sawt.EndToEnd.Tests.Cluster;

/// <summary>
/// Faults under a steady load on three silos and a standalone gateway over a real Redis (issue 12's "drain under load"
/// and "slow consumer"): every context keeps the protocol's promises (each frame checked, exactly one terminal
/// message, <c>done</c> or retryable, within a bound), and what the fault did not touch is served as usual.
/// </summary>
[Trait("Category", "Cluster")]
public sealed partial class LoadFaultTests(LoadFaultClusterFixture cluster) : IClassFixture<LoadFaultClusterFixture>
{
    private const int LoadSockets = 4;
    private const int ContextsPerSocket = 6;

    /// <summary>Bound on every wait for something the cluster must do by itself (a drain, a restart, a number of completions).</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Bound on the ends of contexts under way when the load stops: a lost one is found by the gateway within its probe
    /// period plus probe timeout; the rest is margin for a loaded machine.
    /// </summary>
    private static readonly TimeSpan LossBound = LoadFaultClusterFixture.StreamProbeAfter + LoadFaultClusterFixture.StreamProbeTimeout + TimeSpan.FromSeconds(40);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private enum DrainPhase
    {
        /// <summary>Before the silo began draining.</summary>
        Before,

        /// <summary>The silo is draining: new sessions are placed elsewhere.</summary>
        Draining,

        /// <summary>Draining, and the worker registry no longer offers its workers: new sessions' workers are elsewhere too.</summary>
        WorkersWithdrawn,

        /// <summary>The silo has left the cluster.</summary>
        Left,
    }

    [Fact]
    public async Task DrainUnderLoad_EveryContextEndsOnce_NewOnesAvoidTheSilo_ItsOwnFinish_ClusterServesAfter()
    {
        await cluster.Host.WaitForReadyWorkersAsync(LoadFaultClusterFixture.SiloCount, Token);
        var drained = cluster.Host.SiloEndpoint(LoadFaultClusterFixture.DrainedSilo);
        var drain = cluster.Host.SiloServices(LoadFaultClusterFixture.DrainedSilo).GetRequiredService<SiloDrain>();
        var phase = DrainPhase.Before;

        // One utterance hosted on the silo to drain, held open (its client sends no end) so the drain must wait for it.
        await using var held = await WsTestClient.ConnectAsync(cluster.Host.WebSocketUri(), Token);
        var heldId = await OpenHostedOnAsync(held, drained);

        await using var load = await ClusterLoad.StartAsync(cluster.Host.WebSocketUri(), LoadSockets, ContextsPerSocket, () => (int)phase, Token);
        await load.UntilAsync(a => a.Count(x => x.IsDone) >= LoadSockets * 2, Bound, "steady load before the drain", Token);

        var stopping = cluster.Host.StopSiloAsync(LoadFaultClusterFixture.DrainedSilo);
        try
        {
            await UntilAsync(() => Task.FromResult(drain.IsDraining), "the silo begins draining");
            phase = DrainPhase.Draining;
            var registry = cluster.Host.Client.GetGrain<IWorkerRegistryGrain>(0);
            await UntilAsync(async () => !(await registry.List()).Any(w => w.Ready && w.HostSilo == drained), "the registry withdraws the draining silo's workers");
            phase = DrainPhase.WorkersWithdrawn;

            // Load keeps coming while the held utterance keeps the silo draining.
            await load.UntilAsync(a => a.Count(x => x.Phase >= (int)DrainPhase.WorkersWithdrawn && x.IsDone) >= LoadSockets * 3, Bound, "contexts started during the drain complete", Token);
            Assert.False(stopping.IsCompleted, "the silo left with its held utterance still running");
            Assert.All(
                load.Attempts.Where(a => a.Phase >= (int)DrainPhase.Draining && a.SessionId is not null),
                a => Assert.False(cluster.PlacementOf(a.SessionId!.Value)?.Session == drained, $"{a} was placed on the draining silo"));

            // The drained silo's own utterance is spoken to its end: the drain waits for it.
            await held.SendAsync(new { type = "text", context_id = heldId, text = " And now the rest of it." }, Token);
            await held.SendAsync(new { type = "end", context_id = heldId }, Token);
            var heldEnd = await held.ReceiveUntilAsync(m => m.ContextId == heldId && m.Type is "done" or "error" or "cancelled", Token);
            Assert.True(heldEnd.Type == "done", heldEnd.Json.ToJsonString());
            await stopping.WaitAsync(Bound, Token);
            phase = DrainPhase.Left;

            // Without it, the load goes on; then it stops and every context under way ends.
            await load.UntilAsync(a => a.Count(x => x.Phase == (int)DrainPhase.Left && x.IsDone) >= LoadSockets * 2, Bound, "contexts started after the silo left complete", Token);
            await load.EndAsync(LossBound, Token, a => cluster.Trace(a.SessionId, a.ContextId));
            await held.SendAsync(new { type = "synthesize", context_id = "after", text = "Still here.", language = "en" }, Token);
            Assert.Equal("done", (await held.ReceiveUntilAsync(m => m.ContextId == "after" && m.Type is "done" or "error" or "cancelled", Token)).Type);

            var attempts = load.Attempts;
            TestContext.Current.TestOutputHelper?.WriteLine($"Drain under load: {ClusterLoad.Summary(attempts)}");
            AssertEveryContextEndedOnceDoneOrRetryable(attempts);
            foreach (var attempt in attempts.Where(a => a.SessionId is not null))
            {
                var placement = cluster.PlacementOf(attempt.SessionId!.Value);
                Assert.True(placement is not null || !attempt.IsDone, $"{attempt}: no silo logged its session's start");
                if (placement is null)
                {
                    continue;
                }

                // Sessions the draining silo hosted finish there (busy is the workers' admission, not the drain).
                Assert.True(placement.Session != drained || attempt.IsDone || (string?)attempt.Terminal?.Json["code"] == "busy", $"{attempt} ran on the drained silo and did not finish");

                // Nothing new lands on the draining silo: sessions from the drain's start, workers once withdrawn.
                Assert.False(attempt.Phase >= (int)DrainPhase.Draining && placement.Session == drained, $"{attempt} was placed on the draining silo");
                Assert.False(attempt.Phase >= (int)DrainPhase.WorkersWithdrawn && placement.Touches(drained), $"{attempt} got a worker on the draining silo: {placement}");
            }

            // Every utterance begun after the drain began completes (a retryable end is retried, as a client would).
            var late = attempts.Where(a => a.UtterancePhase >= (int)DrainPhase.Draining).GroupBy(a => a.Utterance).ToList();
            Assert.NotEmpty(late);
            Assert.All(late, u => Assert.True(u.MaxBy(a => a.Number)!.IsDone, $"utterance {u.Key}: {string.Join("; ", u)}"));

            await cluster.WaitForIdleWorkersAsync(TimeSpan.FromSeconds(10), "the load ended", Token);
        }
        finally
        {
            await stopping.WaitAsync(Bound, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            await cluster.Host.StartSiloAsync(LoadFaultClusterFixture.DrainedSilo, Token);
            await cluster.Host.WaitForReadyWorkersAsync(LoadFaultClusterFixture.SiloCount, Token);
        }
    }

    /// <summary>Exactly one terminal per context, no protocol violation, and each terminal <c>done</c> or a retryable error with a retry hint.</summary>
    private static void AssertEveryContextEndedOnceDoneOrRetryable(IReadOnlyList<LoadAttempt> attempts)
    {
        Assert.NotEmpty(attempts);
        Assert.All(attempts, a =>
        {
            Assert.True(a.Violations.Count == 0, $"{a}: {string.Join("; ", a.Violations)}");
            Assert.True(a.Terminals.Count == 1, $"{a}: {a.Terminals.Count} terminal messages");
            Assert.True(a.IsDone || a.IsRetryableError, $"{a}: {a.Terminal!.Json.ToJsonString()}");
        });
    }

    /// <summary>
    /// Opens incremental contexts until one's session is hosted on <paramref name="silo"/> (each lands on the silo the
    /// gateway's call reached, so about one in three; the others are cancelled), and has it speak a first sentence.
    /// </summary>
    private async Task<string> OpenHostedOnAsync(WsTestClient client, string silo)
    {
        const int MaxTries = 60;
        for (var i = 0; i < MaxTries; i++)
        {
            var id = "held" + i;
            await client.SendAsync(new { type = "synthesize", context_id = id, incremental = true, language = "en" }, Token);
            var started = await client.ReceiveUntilAsync(m => m.ContextId == id && m.Type is "started" or "error", Token);
            Assert.Equal("started", started.Type);
            var session = Guid.Parse((string)started.Json["session_id"]!);
            await client.SendAsync(new { type = "text", context_id = id, text = "Hello there.", flush = true }, Token);
            await client.ReceiveUntilAsync(m => m.ContextId == id && m.Type == "audio", Token);
            if (cluster.PlacementOf(session)?.Session == silo)
            {
                return id;
            }

            await client.SendAsync(new { type = "cancel", context_id = id }, Token);
            await client.ReceiveUntilAsync(m => m.ContextId == id && m.Type is "cancelled" or "done" or "error", Token);
        }

        Assert.Fail($"{MaxTries} sessions, none hosted on {silo}");
        return string.Empty;
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? bound = null)
    {
        var limit = bound ?? Bound;
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not within {limit.TotalSeconds} s: {what}.");
            await Task.Delay(100, Token);
        }
    }
}
