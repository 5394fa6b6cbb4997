using Sawt.Contracts.Sessions;

namespace Sawt.Grains.Tests;

/// <summary>A session whose caller stops calling (its gateway died) ends itself when its lease lapses.</summary>
[Trait("Category", "Cluster")]
public sealed class SessionLeaseGrainTests(ClusterFixture fixture)
{
    /// <summary>Well below the fixture's InputIdleTimeout (3 s), so only the lease can end the session first.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(1);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IncrementalSession_LeaseNotRenewed_EndsRetryablyUnavailable_ActivationAndWorkersFreed()
    {
        var id = Guid.NewGuid();
        var events = await SessionEvents.SubscribeAsync(fixture.Client, id);
        var session = fixture.Client.GetGrain<ITtsSessionGrain>(id);
        await session.Start(new SessionStart { Text = "Then the gateway died.", Language = "en", Incremental = true, Lease = Lease, Sampling = new() { Seed = 2 } });
        await session.Flush();

        // Nothing calls the session any more. The bound only keeps a bug from hanging the run.
        var last = Assert.IsType<SessionFailed>(await events.Last().WaitAsync(TimeSpan.FromSeconds(60), Token));
        Assert.Equal("unavailable", last.Code);
        Assert.True(last.Retryable);
        Assert.Contains("gateway", last.Message, StringComparison.Ordinal);

        // The session let its activation go (its worker sequences were cancelled with the run; SessionTests checks
        // that for a cancel: other tests' sessions share these workers, so their load says nothing here).
        await AssertLeavesAsync(id, "its lease lapsed");
    }

    [Fact]
    public async Task SessionEnded_EndNeverAcknowledged_LeavesWhenItsLeaseLapses_NotAfterTheReplayRetention()
    {
        var id = Guid.NewGuid();
        var events = await SessionEvents.SubscribeAsync(fixture.Client, id);
        var session = fixture.Client.GetGrain<ITtsSessionGrain>(id);
        await session.Start(new SessionStart { Text = "Spoken to its end.", Language = "en", Lease = Lease, Sampling = new() { Seed = 3 } });
        Assert.IsType<SessionCompleted>(await events.Last().WaitAsync(TimeSpan.FromSeconds(60), Token));

        // Its gateway died after the end went out: nobody acknowledges it or asks for a replay. Kept for a replay, the
        // session would stay the replay retention (60 s); nobody renews its lease, so it goes when that lapses.
        await AssertLeavesAsync(id, "its run ended and its lease lapsed");
    }

    /// <summary>Waits until the session has no activation; fails 20 s after the cause (well inside the 60 s replay retention).</summary>
    private async Task AssertLeavesAsync(Guid id, string after)
    {
        var management = fixture.Client.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await management.GetDetailedGrainStatistics(null, null, Token)).Any(s => s.GrainId.TryGetGuidKey(out var key, out _) && key == id))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the session's activation was still there 20 s after {after}");
            await Task.Delay(100, Token);
        }
    }
}
