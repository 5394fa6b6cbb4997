using System.Collections.Concurrent;
using System.Diagnostics;
using Sawt.Inference.Generation;
using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Generation;

/// <summary>
/// What the batching loop reports: batch spans that are roots of their own, linked to the span of every request they
/// served, and speculative totals equal to the sums of the sequences' own counters.
/// </summary>
[Trait("Category", "Unit")]
public sealed class T3SchedulerTelemetryTests(TinyBundleFixture tiny, DraftBundlesFixture drafts) : IClassFixture<DraftBundlesFixture>
{
    private const string TestSource = "Sawt.Inference.Tests.Requests";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Submit_UnderARequestSpan_BatchSpansAreRootsLinkedToIt()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is InferenceTelemetry.SourceName or TestSource,
            Sample = static (ref _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource(TestSource);

        // Created under a span, as a worker may be: the loop must not make that span the parent of its batches.
        T3Scheduler scheduler;
        using (source.StartActivity("engine load"))
        {
            scheduler = new T3Scheduler(tiny.Engine.Executor);
        }

        ActivityContext request;
        GenerationHandle handle;
        using (var span = source.StartActivity("request"))
        {
            request = span!.Context;
            handle = scheduler.Submit(
                new GenerationRequest(tiny.Engine.Tokenizer.Encode("Batches link to their requests.", "en"), tiny.Engine.DefaultVoice, new SamplingOptions { Seed = 3, MaxNewTokens = 40 }),
                Token);
        }

        await foreach (var _ in handle.Tokens.ReadAllAsync(Token))
        {
        }

        var summary = await handle.Completion.WaitAsync(TimeSpan.FromSeconds(60), Token);

        // Disposing joins the loop: every batch span it started has stopped.
        await scheduler.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60), Token);

        var batches = stopped.Where(a => a.Source.Name == InferenceTelemetry.SourceName && a.Links.Any(l => l.Context.SpanId == request.SpanId)).ToList();
        Assert.Single(batches, b => b.OperationName == InferenceTelemetry.PrefillSpan);
        Assert.True(summary.SpeechTokens > 1, $"precondition: {summary.SpeechTokens} tokens need no decode step");
        Assert.Contains(batches, b => b.OperationName == InferenceTelemetry.DecodeSpan);
        Assert.All(batches, b =>
        {
            Assert.Equal(default, b.ParentSpanId);
            Assert.NotEqual(request.TraceId, b.TraceId);
            Assert.Equal(1, b.GetTagItem(InferenceTelemetry.BatchSizeTag));
        });
    }

    [Fact]
    public async Task Speculative_Load_CountsEveryDraftedAndAcceptedToken()
    {
        var engine = drafts.Partial;
        var executor = new T3BatchExecutor(engine.Bundle, new SpeculativeOptions { Enabled = true, MaxDraftTokens = 4, MinDraftTokens = 1 });
        await using var scheduler = new T3Scheduler(executor);
        var handles = Enumerable.Range(0, 3)
            .Select(i => scheduler.Submit(
                new GenerationRequest(engine.Tokenizer.Encode($"Sentence {i} is drafted and verified.", "en"), engine.DefaultVoice, new SamplingOptions { Seed = (ulong)i, MaxNewTokens = 60 }),
                Token))
            .ToList();
        foreach (var handle in handles)
        {
            await handle.Completion.WaitAsync(TimeSpan.FromSeconds(60), Token);
        }

        // The loop publishes its totals in the step that completes the last sequence; disposing joins the loop.
        await scheduler.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60), Token);

        var drafted = handles.Sum(h => h.Sequence.Speculation!.Drafted);
        var accepted = handles.Sum(h => h.Sequence.Speculation!.Accepted);
        Assert.True(drafted > accepted && accepted > 0, $"precondition: a partly agreeing draft ({accepted} of {drafted} accepted)");
        Assert.Equal(drafted, scheduler.Load.DraftTokens);
        Assert.Equal(accepted, scheduler.Load.AcceptedDraftTokens);
    }
}
