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

        // The loop updates its counters just after completing the last sequence.
        await WaitUntil(() => scheduler.Load.ActiveSequences == 0 && scheduler.Load.KvCacheBytes == 0);
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

    [Fact]
    public async Task Cancel_MidGeneration_StopsWithinAStepAndFreesCacheAndNativeValues()
    {
        // Its own bundle: the ledger must not see other tests' runs.
        using var ownBundle = Sawt.Inference.Bundles.ModelBundle.Load(bundle.Directory, TinyBundleFixture.CpuBundle);
        await using var scheduler = new T3Scheduler(new T3BatchExecutor(ownBundle));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var handle = scheduler.Submit(Request(string.Join(' ', Enumerable.Repeat("A very long text that would take many steps.", 6)), seed: 9), cancel.Token);
        var received = 0;
        var generatedAtCancel = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in handle.Tokens.ReadAllAsync(TestContext.Current.CancellationToken))
            {
                if (++received == 5)
                {
                    generatedAtCancel = handle.Sequence.Tokens.Count;
                    await cancel.CancelAsync();
                }
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handle.Completion);
        Assert.Equal(StopReason.Cancelled, handle.Sequence.StopReason);
        // After the cancel request, at most the step already running completes.
        Assert.InRange(handle.Sequence.Tokens.Count, generatedAtCancel, generatedAtCancel + 1);
        await WaitUntil(() => scheduler.Load.ActiveSequences == 0 && scheduler.Load.KvCacheBytes == 0);
        Assert.Equal(0, ownBundle.Ledger.LiveValues);
        Assert.True(ownBundle.Ledger.TotalValues > 0);
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

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(condition());
    }
}
