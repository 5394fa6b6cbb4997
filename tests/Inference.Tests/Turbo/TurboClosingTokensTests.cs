using Sawt.Inference.Generation;
using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Turbo;

/// <summary>
/// Turbo's three silence tokens close a sequence once it has ended, whatever ended it (STOP or the step cap), and
/// never a cancelled one; the scheduler's token stream carries exactly what <see cref="T3Sequence.SpeechTokens"/> says.
/// </summary>
[Trait("Category", "Unit")]
public sealed class TurboClosingTokensTests(TurboBundleFixture turbo, TinyBundleFixture tiny)
{
    private static readonly long[] Silence = [.. Enumerable.Repeat(TurboConstants.SilenceToken, TurboConstants.SilenceTokenCount)];

    [Fact]
    public async Task StepCap_StreamEndsWithTheGeneratedTokensThenSilenceOnce()
    {
        var request = turbo.Engine.Prepare(new SynthesisRequest("Capped after five tokens.", "en", Sampling: new SamplingOptions { Seed = 2, MaxNewTokens = 5 }));
        var handle = turbo.Engine.Scheduler.Submit(request, TestContext.Current.CancellationToken);
        var streamed = new List<long>();
        await foreach (var token in handle.Tokens.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            streamed.Add(token);
        }

        var summary = await handle.Completion;

        Assert.Equal(StopReason.StepCap, summary.StopReason);
        Assert.Equal([.. handle.Sequence.Tokens, .. Silence], streamed);
        Assert.Equal(streamed, handle.Sequence.SpeechTokens());
        Assert.Equal(streamed.Count, summary.SpeechTokens);
    }

    [Fact]
    public void Cancelled_NoClosingTokens()
    {
        var executor = new T3BatchExecutor(turbo.Engine.Bundle);
        var sequence = executor.CreateSequence(turbo.Engine.Prepare(new SynthesisRequest("Cancelled early.", "en", Sampling: new SamplingOptions { Seed = 3 })));
        executor.Prefill([sequence], TestContext.Current.CancellationToken);
        executor.Step([sequence], TestContext.Current.CancellationToken);

        sequence.Cancel();
        executor.Release(sequence);

        Assert.Equal(sequence.Tokens.Where(SpeechTokenPostProcessor.IsSpeechToken), sequence.SpeechTokens());
        Assert.Equal(Silence, sequence.ClosingTokens);
    }

    [Fact]
    public void Multilingual_NoClosingTokens()
    {
        var executor = new T3BatchExecutor(tiny.Engine.Bundle);
        Assert.Empty(executor.CreateSequence(tiny.Engine.Prepare(new SynthesisRequest("Multilingual.", "en"))).ClosingTokens);
    }
}
