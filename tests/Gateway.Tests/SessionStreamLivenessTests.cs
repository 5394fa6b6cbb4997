using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Sawt.Gateway.Backend;

namespace Sawt.Gateway.Tests;

/// <summary>
/// The watch that tells a quiet session from a lost one (<see cref="SessionStreamLiveness"/>), on a fake clock. The
/// clock is moved in small steps until the watch has done what is asserted; how far it had to move is checked against
/// the lower bounds the watch promises (it never gives up on a session sooner), so a slow thread only moves it further.
/// </summary>
public sealed class SessionStreamLivenessTests
{
    private static readonly TimeSpan ProbeAfter = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(250);

    /// <summary>Real-time bound on any pumping loop.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task QuietStream_ProbeUnanswered_Lost_NeverSoonerThanProbeAfterPlusTimeout()
    {
        var liveness = new SessionStreamLiveness(_ => Task.CompletedTask, ProbeAfter, ProbeTimeout, _time);
        var start = _time.GetTimestamp();

        var watch = liveness.WatchAsync(Token);
        await PumpAsync(() => watch.IsCompleted);

        Assert.True(await watch);
        Assert.Equal(1, liveness.Probes);
        Assert.True(_time.GetElapsedTime(start) >= ProbeAfter + ProbeTimeout, $"lost after {_time.GetElapsedTime(start)}");
    }

    [Fact]
    public async Task QuietStream_EveryProbeAnsweredOnTheStream_NeverLost()
    {
        SessionStreamLiveness? liveness = null;
        liveness = new SessionStreamLiveness(_ => { liveness!.Heard(); return Task.CompletedTask; }, ProbeAfter, ProbeTimeout, _time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var watch = liveness.WatchAsync(stop.Token);
        await PumpAsync(() => liveness.Probes >= 3 || watch.IsCompleted);

        Assert.False(watch.IsCompleted, "a session answering its probes was given up");
        await stop.CancelAsync();
        Assert.False(await watch.WaitAsync(Bound, Token));
    }

    [Fact]
    public async Task ProbeCallFails_FinalEventStillArrivesInTime_NotLost()
    {
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var liveness = new SessionStreamLiveness(
            _ =>
            {
                asked.TrySetResult();
                return Task.FromException(new InvalidOperationException("session gone: it ended and deactivated"));
            },
            ProbeAfter, ProbeTimeout, _time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var watch = liveness.WatchAsync(stop.Token);
        await PumpAsync(() => asked.Task.IsCompleted);
        liveness.Heard(); // the session's final event, published before it went away, arrives after the failed call
        await PumpAsync(() => liveness.Probes >= 2 || watch.IsCompleted);

        Assert.False(watch.IsCompleted, "a session whose final event arrived was declared lost");
        await stop.CancelAsync();
        Assert.False(await watch.WaitAsync(Bound, Token));
    }

    [Fact]
    public async Task ProbeCallFails_NothingArrives_Lost()
    {
        var liveness = new SessionStreamLiveness(_ => Task.FromException(new TimeoutException("silo unreachable")), ProbeAfter, ProbeTimeout, _time);
        var start = _time.GetTimestamp();

        var watch = liveness.WatchAsync(Token);
        await PumpAsync(() => watch.IsCompleted);

        Assert.True(await watch);
        Assert.True(_time.GetElapsedTime(start) >= ProbeAfter + ProbeTimeout);
    }

    [Fact]
    public async Task EventsKeepArriving_NeverProbed()
    {
        var liveness = new SessionStreamLiveness(_ => Task.CompletedTask, ProbeAfter, ProbeTimeout, _time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var watch = liveness.WatchAsync(stop.Token);

        // Audio every second for ten times the probe period.
        for (var i = 0; i < 10 * ProbeAfter.TotalSeconds; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            liveness.Heard();
            await Task.Yield();
        }

        Assert.Equal(0, liveness.Probes);
        Assert.False(watch.IsCompleted);
        await stop.CancelAsync();
        Assert.False(await watch.WaitAsync(Bound, Token));
    }

    /// <summary>Moves the fake clock a step at a time (letting the watch run between steps) until the condition holds (bounded).</summary>
    private async Task PumpAsync(Func<bool> condition)
    {
        var real = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(real.Elapsed < Bound, "the watch never got there");
            _time.Advance(Step);
            await Task.Delay(1, Token);
        }
    }
}
