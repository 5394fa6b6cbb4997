using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Sawt.Grains.Hosting;

namespace Sawt.Grains.Tests;

/// <summary>
/// The silo's drain on shutdown, on a fake clock: it waits for running work (leases) up to its timeout, ends the rest
/// through <see cref="SiloDrain.Expired"/>, and then waits (bounded) for them to have said so. The clock only moves
/// when a test moves it, so no outcome depends on how fast this machine is.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SiloDrainTests : IDisposable
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Real-time bound on waiting for something the test has already made happen.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private readonly SiloDrain _drain;

    public SiloDrainTests() => _drain = new SiloDrain(_time, NullLogger<SiloDrain>.Instance);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Drain_NothingRunning_EndsAtOnce_EndsNothing()
    {
        Assert.False(_drain.IsDraining);

        var ended = await _drain.DrainAsync(DrainTimeout, Token).WaitAsync(Bound, Token);

        Assert.Equal(0, ended);
        Assert.True(_drain.IsDraining);
        Assert.False(_drain.Expired.IsCancellationRequested);
    }

    [Fact]
    public async Task Drain_WorkFinishesInTime_WaitsForIt_EndsNothing()
    {
        var first = _drain.Track();
        var second = _drain.Track();
        var drain = _drain.DrainAsync(DrainTimeout, Token);

        _time.Advance(DrainTimeout - TimeSpan.FromSeconds(1));
        first.Dispose();
        first.Dispose(); // A lease counts once, however often it is disposed.
        Assert.False(drain.IsCompleted);
        Assert.Equal(1, _drain.Active);

        second.Dispose();
        Assert.Equal(0, await drain.WaitAsync(Bound, Token));
        Assert.False(_drain.Expired.IsCancellationRequested);
    }

    [Fact]
    public async Task Drain_WorkOutlivesTheTimeout_IsEnded_AndTheDrainWaitsForItsFinalWord()
    {
        var lease = _drain.Track();
        var drain = _drain.DrainAsync(DrainTimeout, Token);
        Assert.False(_drain.Expired.IsCancellationRequested);

        _time.Advance(DrainTimeout);
        await ExpiredAsync();

        // Ended, but still publishing its shutting_down: the silo must not move on yet.
        Assert.False(drain.IsCompleted);
        lease.Dispose();
        Assert.Equal(1, await drain.WaitAsync(Bound, Token));
    }

    [Fact]
    public async Task Drain_HostDeadlineBeforeTheTimeout_EndsTheRestAtOnce()
    {
        using var host = new CancellationTokenSource();
        var lease = _drain.Track();
        var drain = _drain.DrainAsync(TimeSpan.FromHours(1), host.Token);

        await host.CancelAsync();
        await ExpiredAsync();
        lease.Dispose();

        Assert.Equal(1, await drain.WaitAsync(Bound, Token));
    }

    [Fact]
    public async Task Drain_WorkThatNeverAnswers_IsGivenUpAfterTheFinalWait()
    {
        _drain.Track(); // Never disposed: e.g. a call stuck in a native run.
        var drain = _drain.DrainAsync(DrainTimeout, Token);

        _time.Advance(DrainTimeout);
        await ExpiredAsync();
        Assert.False(drain.IsCompleted);

        // The final wait's timer starts on the drain's own continuation, just after the expiry: move the clock until
        // it has seen the time pass (each step is a whole final wait, so the first one it sees ends it).
        for (var step = 0; step < 500 && !drain.IsCompleted; step++)
        {
            _time.Advance(SiloDrain.FinalWait);
            await Task.Delay(10, Token);
        }

        Assert.Equal(1, await drain.WaitAsync(Bound, Token));
    }

    [Fact]
    public void ShuttingDown_IsRetryableWithAHint()
    {
        var error = SiloDrain.ShuttingDown();

        Assert.Equal("shutting_down", error.Code);
        Assert.True(error.Retryable);
        Assert.NotNull(error.RetryAfterSeconds);
    }

    public void Dispose() => _drain.Dispose();

    /// <summary>Waits (bounded) for the drain's expiry, which the fake clock's timer callback signals on its own thread.</summary>
    private async Task ExpiredAsync()
    {
        var expired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = _drain.Expired.Register(() => expired.TrySetResult());
        await expired.Task.WaitAsync(Bound, Token);
    }
}
