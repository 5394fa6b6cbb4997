using Microsoft.Extensions.Time.Testing;
using Sawt.Inference.Generation;
using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Generation;

[Trait("Category", "Unit")]
public sealed class T3SchedulerAdmissionTests(TinyBundleFixture bundle)
{
    private const double PrefillMs = 20;
    private const double StepMsPerRow = 10;
    private const int FirstChunkTokens = 10;

    [Fact(Timeout = 60_000)]
    public async Task Submit_WithFirstChunkTarget_AdmitsWhatTheMeasuredCostsForecastWithinItAndRefusesTheRestAtOnce()
    {
        // A cost model on a fake clock: prefill 20 ms a call, a step 10 ms per row. One long sequence runs; the gate
        // holds its second step, so the measurements (prefill of 1, step of 1) and its progress are fixed while we submit.
        await using var clocked = Clocked(new T3SchedulerOptions { MaxActiveSequences = 4, MaxPrefillBatch = 2, FirstChunkTargetMilliseconds = 250, FirstChunkTokens = FirstChunkTokens });
        var (gate, scheduler) = (clocked.Gate, clocked.Scheduler);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var running = scheduler.Submit(Request("A long sentence that keeps running while others arrive.", seed: 1), cancel.Token);
        await HoldAtItsSecondStepAsync(gate, running);

        // Next in line joins a batch of 2: prefill 20 + 9 steps at 20 ms = 200 ms, within 250.
        var second = scheduler.Submit(Request("Second.", seed: 2), cancel.Token);
        // The one after is prefilled with it (2 at once, forecast 40 ms) and steps in a batch of 3: 40 + 9 x 30 = 310 ms.
        var refused = Assert.Throws<InferenceException>(() => scheduler.Submit(Request("Third.", seed: 3), cancel.Token));

        Assert.Equal(InferenceErrorCode.Busy, refused.Code);
        Assert.True(refused.IsRetryable);
        Assert.Equal(TimeSpan.FromMilliseconds(100), refused.RetryAfter); // 60 ms over the target, raised to the floor
        Assert.Contains("310 ms", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, scheduler.Load.QueuedSequences); // the refused one left no trace in the queue

        await cancel.CancelAsync();
        gate.Open();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.Completion);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.Completion);
    }

    [Fact(Timeout = 60_000)]
    public async Task Submit_RequestWithItsOwnFirstChunkTarget_JudgedAgainstItInsteadOfTheSchedulers()
    {
        // The cost model of the test above (prefill 20 ms, 10 ms a row); the scheduler's own target is 250 ms.
        await using var clocked = Clocked(new T3SchedulerOptions { MaxActiveSequences = 4, MaxPrefillBatch = 2, FirstChunkTargetMilliseconds = 250, FirstChunkTokens = FirstChunkTokens });
        var (gate, scheduler) = (clocked.Gate, clocked.Scheduler);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var running = scheduler.Submit(Request("A long sentence that keeps running while others arrive.", seed: 1), cancel.Token);
        await HoldAtItsSecondStepAsync(gate, running);

        // Forecast 200 ms: within the scheduler's 250, beyond this request's 150 (its decoder takes more of the target now).
        var tight = Assert.Throws<InferenceException>(() => scheduler.Submit(Request("Second.", seed: 2) with { FirstChunkTargetMilliseconds = 150 }, cancel.Token));
        Assert.Equal(InferenceErrorCode.Busy, tight.Code);
        Assert.Contains("200 ms, beyond its 150 ms target", tight.Message, StringComparison.Ordinal);

        // Forecast 310 ms for the one after: beyond the scheduler's 250, within this request's 400.
        var second = scheduler.Submit(Request("Second.", seed: 2), cancel.Token);
        var roomy = scheduler.Submit(Request("Third.", seed: 3) with { FirstChunkTargetMilliseconds = 400 }, cancel.Token);
        Assert.Equal(2, scheduler.Load.QueuedSequences);

        await cancel.CancelAsync();
        gate.Open();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.Completion);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.Completion);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => roomy.Completion);
    }

    [Fact(Timeout = 60_000)]
    public async Task Submit_IdleWorker_RefusesOnFreshMeasurementsAndAdmitsOnceTheyAreOlderThanIdleAdmitAfter()
    {
        // The cost model above: a newcomer's first chunk on an idle worker is forecast at 20 + 9 x 10 = 110 ms, over 50.
        var options = new T3SchedulerOptions { FirstChunkTargetMilliseconds = 50, FirstChunkTokens = FirstChunkTokens, IdleAdmitAfter = TimeSpan.FromSeconds(2) };
        await using var clocked = Clocked(options);
        var (clock, gate, scheduler) = (clocked.Clock, clocked.Gate, clocked.Scheduler);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var measured = scheduler.Submit(Request("Measured, then cancelled.", seed: 1), cancel.Token);
        await HoldAtItsSecondStepAsync(gate, measured);
        await cancel.CancelAsync();
        gate.Open();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => measured.Completion); // the worker is idle now

        var refused = Assert.Throws<InferenceException>(() => scheduler.Submit(Request("Too soon.", seed: 2), TestContext.Current.CancellationToken));
        Assert.Equal(InferenceErrorCode.Busy, refused.Code);

        // Nothing ran for IdleAdmitAfter: those measurements no longer refuse; the newcomer runs and measures again.
        clock.Advance(options.IdleAdmitAfter);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var admitted = scheduler.Submit(Request("Admitted.", seed: 3), stop.Token);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => admitted.Completion);
    }

    [Fact(Timeout = 60_000)]
    public async Task Submit_KvBudgetSpent_RefusesBusyUntilCachesAreFreed()
    {
        using var gate = new GatedBatchExecutor(bundle.Engine.Executor, TestContext.Current.CancellationToken);
        await using var scheduler = new T3Scheduler(gate, new T3SchedulerOptions { MaxKvCacheBytes = 1 });
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var running = scheduler.Submit(Request("Holds a cache while the gate is closed.", seed: 1), cancel.Token);
        await HoldAtItsSecondStepAsync(gate, running); // the loop has published the cache bytes of step 1

        var refused = Assert.Throws<InferenceException>(() => scheduler.Submit(Request("Refused.", seed: 2), cancel.Token));

        Assert.Equal(InferenceErrorCode.Busy, refused.Code);
        Assert.Contains("KV cache budget", refused.Message, StringComparison.Ordinal);
        await cancel.CancelAsync();
        gate.Open();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.Completion);
    }

    /// <summary>
    /// Lets <paramref name="running"/> take its first step and holds its second at the gate, so what the scheduler has
    /// measured (one prefill, one step) and the sequence's progress stay fixed while a test submits.
    /// </summary>
    private static async Task HoldAtItsSecondStepAsync(GatedBatchExecutor gate, GenerationHandle running)
    {
        Assert.Equal(1, await gate.NextHeldStepAsync(running.Completion));
        gate.Release();
        Assert.Equal(2, await gate.NextHeldStepAsync(running.Completion));
    }

    /// <summary>A scheduler on the cost model (prefill <see cref="PrefillMs"/> a call, <see cref="StepMsPerRow"/> a row) and a fake clock, its steps gated.</summary>
    private ClockedScheduler Clocked(T3SchedulerOptions options)
    {
        var clock = new FakeTimeProvider();
        var gate = new GatedBatchExecutor(bundle.Engine.Executor, TestContext.Current.CancellationToken);
        return new ClockedScheduler(clock, gate, new T3Scheduler(new ClockedExecutor(gate, clock, PrefillMs, StepMsPerRow), options, clock));
    }

    private GenerationRequest Request(string text, ulong seed) =>
        new(bundle.Engine.Tokenizer.Encode(text, "en"), bundle.Engine.DefaultVoice, new SamplingOptions { Seed = seed, MaxNewTokens = 2000 });

    /// <summary>Owns the gate and the scheduler; disposes the scheduler first, as the tests' own usings did.</summary>
    private sealed record ClockedScheduler(FakeTimeProvider Clock, GatedBatchExecutor Gate, T3Scheduler Scheduler) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Scheduler.DisposeAsync();
            Gate.Dispose();
        }
    }
}
