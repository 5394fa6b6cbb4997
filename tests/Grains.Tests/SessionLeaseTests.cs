using Microsoft.Extensions.Time.Testing;
using Sawt.Grains.Sessions;

namespace Sawt.Grains.Tests;

/// <summary>A session's lease on a <see cref="FakeTimeProvider"/>: renewals keep it, silence lapses it once, none never lapses.</summary>
[Trait("Category", "Unit")]
public sealed class SessionLeaseTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    /// <summary>Bounds the wait for a watch that the fake clock has already made due (it runs on another thread).</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Lease_RenewedWithinItsDuration_KeepsTheSession_ThenLapsesAFullLeaseAfterTheLastRenewal()
    {
        var time = new FakeTimeProvider();
        var lease = new SessionLease(Lease, time);
        var lapses = 0;
        var watch = lease.WatchAsync(() => Lapsed(ref lapses), TestContext.Current.CancellationToken);

        // Renewed every two thirds of a lease for three leases: never lapsed.
        for (var i = 0; i < 4; i++)
        {
            time.Advance(Lease * 2 / 3);
            Assert.False(lease.HasLapsed, $"lapsed {i} renewals in");
            lease.Renew();
        }

        time.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.False(lease.HasLapsed);
        Assert.Equal(0, Volatile.Read(ref lapses));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(lease.HasLapsed);
        await watch.WaitAsync(Bound, TestContext.Current.CancellationToken);
        Assert.Equal(1, Volatile.Read(ref lapses));
    }

    [Fact]
    public async Task Lease_NeverRenewed_LapsesOnce_ARenewalAfterwardsDoesNotReviveIt()
    {
        var time = new FakeTimeProvider();
        var lease = new SessionLease(Lease, time);
        var lapses = 0;
        var watch = lease.WatchAsync(() => Lapsed(ref lapses), TestContext.Current.CancellationToken);

        time.Advance(Lease);
        await watch.WaitAsync(Bound, TestContext.Current.CancellationToken);
        Assert.Equal(1, Volatile.Read(ref lapses));

        // Too late: the session has been cancelled. Neither a renewal nor a second watch lapses it again.
        lease.Renew();
        Assert.True(lease.HasLapsed);
        time.Advance(Lease * 3);
        await lease.WatchAsync(() => Lapsed(ref lapses), TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);
        Assert.Equal(1, Volatile.Read(ref lapses));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    public async Task Lease_NoneGiven_NeverLapses(int? seconds)
    {
        var time = new FakeTimeProvider();
        var lease = new SessionLease(seconds is { } s ? TimeSpan.FromSeconds(s) : null, time);
        var lapses = 0;

        // Without a lease there is nothing to wait for: the watch ends at once, having lapsed nothing.
        await lease.WatchAsync(() => Lapsed(ref lapses), TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromDays(1));
        Assert.False(lease.HasLapsed);
        Assert.Equal(0, Volatile.Read(ref lapses));
    }

    [Fact]
    public async Task Lease_WatchEndedBeforeItLapses_NeverLapses()
    {
        var time = new FakeTimeProvider();
        var lease = new SessionLease(Lease, time);
        var lapses = 0;
        using var sessionEnded = new CancellationTokenSource();
        var watch = lease.WatchAsync(() => Lapsed(ref lapses), sessionEnded.Token);

        time.Advance(Lease / 2);
        await sessionEnded.CancelAsync();
        await watch.WaitAsync(Bound, TestContext.Current.CancellationToken);
        time.Advance(Lease * 2);
        Assert.Equal(0, Volatile.Read(ref lapses));
    }

    private static Task Lapsed(ref int lapses)
    {
        Interlocked.Increment(ref lapses);
        return Task.CompletedTask;
    }
}
