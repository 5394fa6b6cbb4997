using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Sawt.Gateway.Backend;

namespace Sawt.Gateway.Tests;

/// <summary>
/// The gateway's renewals of a session's lease (<see cref="SessionLeaseRenewal"/>), on a fake clock moved in small steps
/// until the loop has done what is asserted; elapsed fake time is checked only against lower bounds, so a slow thread
/// only moves the clock further.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SessionLeaseRenewalTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(500);

    /// <summary>Real-time bound on any pumping loop.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Renewal_WhileTheSessionRuns_RenewsEveryPeriod_NeverSooner()
    {
        var renewals = 0;
        var renewal = new SessionLeaseRenewal(Guid.NewGuid(), () => { Interlocked.Increment(ref renewals); return Task.CompletedTask; }, Period, _time, NullLogger.Instance);
        var start = _time.GetTimestamp();
        using var disposed = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var loop = renewal.RunAsync(() => false, disposed.Token);
        await PumpAsync(() => Volatile.Read(ref renewals) >= 3 || loop.IsCompleted);

        Assert.False(loop.IsCompleted, "the renewals stopped while the session ran");
        Assert.True(_time.GetElapsedTime(start) >= Period * 3, $"3 renewals after {_time.GetElapsedTime(start)}");
        await disposed.CancelAsync();
        await loop.WaitAsync(Bound, Token);
    }

    [Fact]
    public async Task Renewal_AfterTheSessionEnded_Stops()
    {
        var renewals = 0;
        var ended = false;
        var renewal = new SessionLeaseRenewal(Guid.NewGuid(), () => { Interlocked.Increment(ref renewals); return Task.CompletedTask; }, Period, _time, NullLogger.Instance);

        var loop = renewal.RunAsync(() => Volatile.Read(ref ended), Token);
        await PumpAsync(() => Volatile.Read(ref renewals) >= 1);
        Volatile.Write(ref ended, true);
        await PumpAsync(() => loop.IsCompleted);

        Assert.Equal(1, Volatile.Read(ref renewals));
    }

    [Fact]
    public async Task Renewal_CallFails_TheNextPeriodRenewsAgain()
    {
        var calls = 0;
        var renewal = new SessionLeaseRenewal(
            Guid.NewGuid(),
            () => Interlocked.Increment(ref calls) == 1 ? Task.FromException(new TimeoutException("the silo did not answer")) : Task.CompletedTask,
            Period,
            _time,
            NullLogger.Instance);
        using var disposed = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var loop = renewal.RunAsync(() => false, disposed.Token);
        await PumpAsync(() => Volatile.Read(ref calls) >= 2 || loop.IsCompleted);

        Assert.False(loop.IsCompleted, "one failed renewal ended the renewals");
        await disposed.CancelAsync();
        await loop.WaitAsync(Bound, Token);
    }

    /// <summary>Moves the fake clock a step at a time (letting the loop run between steps) until the condition holds (bounded).</summary>
    private async Task PumpAsync(Func<bool> condition)
    {
        var real = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(real.Elapsed < Bound, "the renewals never got there");
            _time.Advance(Step);
            await Task.Delay(1, Token);
        }
    }
}
