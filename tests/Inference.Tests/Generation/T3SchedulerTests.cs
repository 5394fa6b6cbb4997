using Sawt.Inference.Generation;
using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Generation;

[Trait("Category", "Unit")]
public sealed class T3SchedulerTests(TinyBundleFixture bundle)
{
    [Fact]
    public async Task Submit_ManyAtOnce_AllCompleteWithTheirOwnSingleRunTokens()
    {
        var executor = bundle.Engine.Executor;
        await using var scheduler = new T3Scheduler(executor, new T3SchedulerOptions { MaxActiveSequences = 4, MaxPrefillBatch = 2 });
        var texts = Enumerable.Range(0, 6).Select(i => $"Sentence number {i} has {new string('x', i * 3)} words.").ToList();
        var handles = texts.Select((t, i) => scheduler.Submit(Request(t, seed: (ulong)i), TestContext.Current.CancellationToken)).ToList();
        for (var i = 0; i < handles.Count; i++)
        {
            var tokens = await ReadAll(handles[i]);
            var summary = await handles[i].Completion;
            Assert.Equal(StopReason.EndOfSpeech, summary.StopReason);
            Assert.Equal(tokens.Count, summary.SpeechTokens);

            var alone = executor.CreateSequence(Request(texts[i], seed: (ulong)i));
            executor.Prefill([alone], TestContext.Current.CancellationToken);
            while (!alone.IsFinished)
            {
                executor.Step([alone], TestContext.Current.CancellationToken);
            }

            Assert.Equal(alone.SpeechTokens(), tokens);
        }

        // The loop publishes its counters in the step that completes the last sequence; disposing joins the loop.
        await scheduler.DisposeAsync();
        Assert.Equal(0, scheduler.Load.ActiveSequences);
        Assert.Equal(0, scheduler.Load.KvCacheBytes);
    }

    [Fact]
    public async Task Publish_SpecialIdsSampled_PublishesExactlyThePostProcessedSpeechTokens()
    {
        // At temperature 1000 with min-p and top-p off, the tiny head is near-uniform over its 8194 logits, so about
        // a fifth of the draws are 6561 and above (START, the exaggeration slot, the unused ids): the publish path
        // must drop them by the same rule as the post-processor.
        await using var scheduler = new T3Scheduler(bundle.Engine.Executor);
        var hot = new SamplingOptions { Seed = 17, Temperature = 1000f, MinP = 0f, TopP = 1f, MaxNewTokens = 120 };
        var handle = scheduler.Submit(new GenerationRequest(bundle.Engine.Tokenizer.Encode("Hot sampling reaches every id.", "en"), bundle.Engine.DefaultVoice, hot), TestContext.Current.CancellationToken);

        var published = await ReadAll(handle);
        var summary = await handle.Completion;

        var raw = handle.Sequence.Tokens;
        Assert.True(raw.Count(t => t >= ChatterboxConstants.SpeechCodebookSize) >= 10, $"precondition: only {raw.Count(t => t >= ChatterboxConstants.SpeechCodebookSize)} of {raw.Count} draws were special");
        Assert.Equal(SpeechTokenPostProcessor.Finalize(raw, summary.StopReason == StopReason.EndOfSpeech), published);
        Assert.Equal(handle.Sequence.SpeechTokens(), published);
        Assert.Equal(published.Count, summary.SpeechTokens);
    }

    [Fact]
    public async Task Submit_BeyondQueue_BusyWithRetryHint()
    {
        await using var scheduler = new T3Scheduler(bundle.Engine.Executor, new T3SchedulerOptions { MaxActiveSequences = 1, MaxQueuedSequences = 1 });
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var admitted = new List<GenerationHandle>();
        var error = Assert.Throws<InferenceException>(() =>
        {
            for (var i = 0; i < 10; i++)
            {
                admitted.Add(scheduler.Submit(Request("A long sentence that keeps the one slot busy for a while.", seed: 1, maxTokens: 2000), cancel.Token));
            }
        });
        Assert.Equal(InferenceErrorCode.Busy, error.Code);
        Assert.True(error.IsRetryable);
        Assert.NotNull(error.RetryAfter);
        Assert.Equal(2, admitted.Count);
        await cancel.CancelAsync();
    }

    [Fact(Timeout = 60_000)]
    public async Task Submit_ContinuationWhenFull_QueuedNotRefused()
    {
        // A later sentence of an utterance already speaking: refusing it would cut the utterance off mid-speech. The
        // gate holds the first sequence's step, so the worker is full while we submit.
        using var gate = new GatedBatchExecutor(bundle.Engine.Executor, TestContext.Current.CancellationToken);
        await using var scheduler = new T3Scheduler(gate, new T3SchedulerOptions { MaxActiveSequences = 1, MaxQueuedSequences = 0 });
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var first = scheduler.Submit(Request("A long sentence that keeps the one slot busy for a while.", seed: 1, maxTokens: 2000), cancel.Token);
        Assert.Equal(1, await gate.NextHeldStepAsync(first.Completion));
        Assert.Equal(InferenceErrorCode.Busy, Assert.Throws<InferenceException>(() => scheduler.Submit(Request("Refused.", seed: 2), cancel.Token)).Code);

        var continuation = scheduler.Submit(Request("Its next sentence.", seed: 3) with { Continuation = true }, cancel.Token);

        Assert.Equal(2, scheduler.Load.ActiveSequences + scheduler.Load.QueuedSequences);
        await cancel.CancelAsync();
        gate.Open();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.Completion);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => continuation.Completion);
    }

    [Fact(Timeout = 60_000)]
    public async Task Cancel_WhileStepIsRunning_TakesPartInNoLaterStepAndFreesCacheAndNativeValues()
    {
        // Deterministic: the gate holds each step until the test lets it go, so "cancel during step k" is exact and
        // nothing depends on timing. A second sequence keeps the loop stepping after the cancel.
        const int CancelDuringStep = 3;
        const int StepsAfterCancel = 3;
        using var ownBundle = Sawt.Inference.Bundles.ModelBundle.Load(bundle.Directory, TinyBundleFixture.CpuBundle); // its ledger sees only this test
        using var gate = new GatedBatchExecutor(new T3BatchExecutor(ownBundle), TestContext.Current.CancellationToken);
        await using var scheduler = new T3Scheduler(gate, new T3SchedulerOptions { MaxActiveSequences = 4, MaxPrefillBatch = 2 });
        using var cancelFirst = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var cancelSecond = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var longText = string.Join(' ', Enumerable.Repeat("A very long text that would take many steps.", 6));
        var first = scheduler.Submit(Request(longText, seed: 9), cancelFirst.Token);
        var second = scheduler.Submit(Request(longText, seed: 10), cancelSecond.Token);
        var firstTokens = ReadUntilEnd(first);
        var secondTokens = ReadUntilEnd(second);

        for (var k = 1; k <= CancelDuringStep + StepsAfterCancel; k++)
        {
            Assert.Equal(k, await gate.NextHeldStepAsync(k <= CancelDuringStep ? Task.WhenAny(first.Completion, second.Completion) : second.Completion));
            if (k == CancelDuringStep)
            {
                await cancelFirst.CancelAsync();
            }

            if (k == CancelDuringStep + StepsAfterCancel)
            {
                await cancelSecond.CancelAsync();
            }

            gate.Release();
        }

        // Any further step now runs at once, so a sequence that kept going would finish instead of hanging the test.
        gate.Open();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.Completion);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.Completion);
        await scheduler.DisposeAsync();

        var steps = gate.Steps;
        Assert.Equal(CancelDuringStep + StepsAfterCancel, steps.Count);
        Assert.Contains(first.Sequence, steps[CancelDuringStep - 1]);
        Assert.All(steps.Skip(CancelDuringStep), step => Assert.DoesNotContain(first.Sequence, step));
        Assert.All(steps.Skip(CancelDuringStep), step => Assert.Contains(second.Sequence, step));
        Assert.Equal(StopReason.Cancelled, first.Sequence.StopReason);

        // Its tokens are the prefill's and those of the steps it took part in (step k included), no more; the
        // handle delivered exactly their speech tokens and then the cancellation.
        Assert.Equal(1 + steps.Count(step => step.Contains(first.Sequence)), first.Sequence.Tokens.Count);
        var (delivered, ending) = await firstTokens;
        Assert.Equal(first.Sequence.SpeechTokens(), delivered);
        Assert.IsAssignableFrom<OperationCanceledException>(ending);
        Assert.IsAssignableFrom<OperationCanceledException>((await secondTokens).Ending);

        Assert.Equal(0, scheduler.Load.ActiveSequences);
        Assert.Equal(0, scheduler.Load.QueuedSequences);
        Assert.Equal(0, scheduler.Load.KvCacheBytes);
        Assert.Equal(0, ownBundle.Ledger.LiveValues);
        Assert.True(ownBundle.Ledger.TotalValues > 0);
    }

    [Fact(Timeout = 60_000)]
    public async Task Cancel_BeforeAdmission_NeverPrefilledNorStepped()
    {
        using var gate = new GatedBatchExecutor(bundle.Engine.Executor, TestContext.Current.CancellationToken);
        await using var scheduler = new T3Scheduler(gate, new T3SchedulerOptions { MaxActiveSequences = 1 });
        using var cancelQueued = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var cancelRunning = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var running = scheduler.Submit(Request("The one slot is taken by this sentence for a while.", seed: 1), cancelRunning.Token);
        Assert.Equal(1, await gate.NextHeldStepAsync(running.Completion));

        // One slot, held by a step: the second request waits in the queue and is cancelled there.
        var queued = scheduler.Submit(Request("Never admitted.", seed: 2), cancelQueued.Token);
        await cancelQueued.CancelAsync();
        await cancelRunning.CancelAsync();
        gate.Open();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.Completion);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.Completion);
        await scheduler.DisposeAsync();
        Assert.False(queued.Sequence.IsPrefilled);
        Assert.Empty(queued.Sequence.Tokens);
        Assert.All(gate.Steps, step => Assert.DoesNotContain(queued.Sequence, step));
        Assert.Equal(0, scheduler.Load.ActiveSequences);
        Assert.Equal(0, scheduler.Load.QueuedSequences);
    }

    [Fact(Timeout = 60_000)]
    public async Task ShortSubmittedWhileALongOneRuns_JoinsAtTheNextStepAndFinishesFirst()
    {
        // Fairness of continuous batching: a long sequence does not hold the loop; a short one submitted while step 1 is
        // held is admitted right after it, advances one token per step beside the long one, and ends long before it.
        using var gate = new GatedBatchExecutor(bundle.Engine.Executor, TestContext.Current.CancellationToken);
        await using var scheduler = new T3Scheduler(gate, new T3SchedulerOptions { MaxActiveSequences = 4 });
        var longOne = scheduler.Submit(Request(string.Join(' ', Enumerable.Repeat("A long paragraph keeps this sequence busy.", 4)), seed: 3), TestContext.Current.CancellationToken);
        Assert.Equal(1, await gate.NextHeldStepAsync(longOne.Completion));
        var shortOne = scheduler.Submit(Request("Hi.", seed: 4), TestContext.Current.CancellationToken);
        gate.Open();

        await shortOne.Completion;
        await longOne.Completion;
        var steps = gate.Steps;
        var first = steps.ToList().FindIndex(step => step.Contains(shortOne.Sequence));
        var last = steps.ToList().FindLastIndex(step => step.Contains(shortOne.Sequence));
        Assert.Equal(1, first); // step 2, the first after its submission
        Assert.All(steps.Skip(first).Take(last - first + 1), step => Assert.Contains(longOne.Sequence, step));
        Assert.Contains(steps.Skip(last + 1), step => step.Contains(longOne.Sequence));
    }

    [Fact]
    public async Task Dispose_WhileGenerating_EndsSequencesWithShuttingDown()
    {
        var scheduler = new T3Scheduler(bundle.Engine.Executor);
        var handle = scheduler.Submit(Request(string.Join(' ', Enumerable.Repeat("Keep going for a long time.", 8)), seed: 2), TestContext.Current.CancellationToken);
        await handle.Tokens.ReadAsync(TestContext.Current.CancellationToken);
        await scheduler.DisposeAsync();
        var error = await Assert.ThrowsAsync<InferenceException>(() => handle.Completion);
        Assert.Equal(InferenceErrorCode.ShuttingDown, error.Code);
        Assert.Throws<InferenceException>(() => scheduler.Submit(Request("late", seed: 1), TestContext.Current.CancellationToken));
    }

    private GenerationRequest Request(string text, ulong seed, int maxTokens = 1000) =>
        new(bundle.Engine.Tokenizer.Encode(text, "en"), bundle.Engine.DefaultVoice, new SamplingOptions { Seed = seed, MaxNewTokens = maxTokens });

    private static async Task<List<long>> ReadAll(GenerationHandle handle)
    {
        var tokens = new List<long>();
        await foreach (var token in handle.Tokens.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            tokens.Add(token);
        }

        return tokens;
    }

    /// <summary>Reads a handle's tokens until its channel ends; returns them and what ended it (null for a normal end).</summary>
    private static async Task<(List<long> Tokens, Exception? Ending)> ReadUntilEnd(GenerationHandle handle)
    {
        var tokens = new List<long>();
        try
        {
            await foreach (var token in handle.Tokens.ReadAllAsync(TestContext.Current.CancellationToken))
            {
                tokens.Add(token);
            }

            return (tokens, null);
        }
        catch (OperationCanceledException error)
        {
            return (tokens, error);
        }
    }
}
