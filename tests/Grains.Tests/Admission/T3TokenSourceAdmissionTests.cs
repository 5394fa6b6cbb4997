using Sawt.Contracts.Sessions;
using Sawt.Contracts.Workers;
using Sawt.Grains.Sessions;
using Sawt.Inference.Text.Segmentation;

namespace Sawt.Grains.Tests.Admission;

/// <summary>
/// The first sentence admitted while the session starts: a refusal is the caller's to throw (before <c>started</c>),
/// an admission keeps the generation for the pipeline, which reads only tokens from it.
/// </summary>
[Trait("Category", "Unit")]
public sealed class T3TokenSourceAdmissionTests
{
    private const double DecoderFirstChunkMs = 640;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly SpeechSegment First = new("The first sentence.", 0, 19, SegmentBoundary.Sentence);
    private static readonly SpeechSegment Second = new("The second one.", 20, 15, SegmentBoundary.Sentence);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AdmitFirst_WorkerRefuses_ThrowsItsBusyWithTheRetryHint()
    {
        var worker = new ScriptedT3Worker(new SessionRejectedException("busy", "full", retryable: true, retryAfterSeconds: 0.4));
        await using var tokens = Source(worker);

        var refused = await Assert.ThrowsAsync<SessionRejectedException>(() => tokens.AdmitFirstAsync(First, Token).WaitAsync(Bound, Token));

        Assert.Equal("busy", refused.Code);
        Assert.True(refused.Retryable);
        Assert.Equal(0.4, refused.RetryAfterSeconds);
        var job = Assert.Single(worker.Jobs);
        Assert.True(job.ReportAdmission);
        Assert.False(job.Continuation);
        Assert.Equal(DecoderFirstChunkMs, job.FirstDecodeMilliseconds);
    }

    [Fact]
    public async Task AdmitFirst_Admitted_BeforeAnyTokenAndThePipelineReadsThatGenerationsTokensOnly()
    {
        var worker = new ScriptedT3Worker();
        await using var tokens = Source(worker);

        // The worker holds its tokens back: admission alone completes this.
        await tokens.AdmitFirstAsync(First, Token).WaitAsync(Bound, Token);

        await using var first = tokens.Start(First, continuation: false, Token);
        Assert.Single(worker.Jobs); // the generation admitted at start, not a second one
        worker.ReleaseTokens();
        var read = new List<long>();
        while (await first.ReadAsync(read, Token).AsTask().WaitAsync(Bound, Token))
        {
        }

        Assert.Equal(ScriptedT3Worker.Tokens, read);
        Assert.True(first.EndedWithStopToken);

        // A later sentence is a generation of its own, a continuation that asks for no admission report.
        await using var second = tokens.Start(Second, continuation: true, Token);
        Assert.Equal(2, worker.Jobs.Count);
        Assert.True(worker.Jobs[1].Continuation);
        Assert.False(worker.Jobs[1].ReportAdmission);
        Assert.Equal(Second.Text, worker.Jobs[1].Text);
    }

    private static T3TokenSource Source(ScriptedT3Worker worker) =>
        new(new WorkerChoice<IT3WorkerGrain>(worker, WorkerKind.T3, grains: null!, resolve: _ => worker), "en", "voice", "rev", new SamplingSettings(), traceParent: null, DecoderFirstChunkMs);
}
