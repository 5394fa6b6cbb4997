using Sawt.Inference.Bundles;
using Sawt.Inference.Generation;
using Sawt.Inference.Sampling;
using Sawt.Inference.Synthetic;

namespace Sawt.Inference.Tests.Generation;

/// <summary>
/// The v2 re-export layout end to end on the engine: loading by metadata, per-sequence two-row calls, and the alignment
/// guard fed by the graph's <c>attn_layers</c>, steered into each case by the text (<see cref="SyntheticAlignmentSteering"/>).
/// </summary>
[Trait("Category", "Unit")]
public sealed class V2LayoutTests(V2BundleFixture bundle)
{
    /// <summary>44 text ids with the [en] tag and the template; long enough for every rule (S &gt; 5, the 8-id skip).</summary>
    private const string Sentence = "Hello there, this is a longer sentence to speak.";

    [Fact]
    public void Load_V2Bundle_DetectsTheLayoutFromMetadata()
    {
        var loaded = bundle.Engine.Bundle;
        Assert.Equal(BundleLayout.MultilingualV2, loaded.Layout);
        Assert.True(loaded.LanguageModelInfo.GuidanceInGraph);
        Assert.True(loaded.LanguageModelInfo.HasAttentionOutputs);
        Assert.Null(loaded.DraftLanguageModel);
        Assert.EndsWith("conditional_decoder_n6.onnx", loaded.Files.ConditionalDecoder, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Synthesize_NormalAlignment_StopsWhenAttentionReachesTheEnd()
    {
        var result = await Synthesize(SyntheticAlignmentBehaviour.Normal, seed: 7);
        Assert.Equal(StopReason.EndOfSpeech, result.StopReason);
        Assert.Equal(AlignmentWarnings.None, result.AlignmentWarnings);

        // The graph asks for STOP once its alignment reaches [STOP]: about three tokens per text id.
        var perTextId = (double)result.SpeechTokens.Length / result.TextIdCount;
        Assert.InRange(perTextId, 2.5, 3.5);
        Assert.Equal((result.SpeechTokens.Length - 1) * ChatterboxConstants.SamplesPerToken, result.Audio.Length);
    }

    [Fact]
    public async Task Synthesize_FalseStart_ReportedAndStillSpeaksTheWholeText()
    {
        var normal = await Synthesize(SyntheticAlignmentBehaviour.Normal, seed: 11);
        var result = await Synthesize(SyntheticAlignmentBehaviour.FalseStart, seed: 11);
        Assert.Equal(StopReason.EndOfSpeech, result.StopReason);
        Assert.Equal(AlignmentWarnings.FalseStart, result.AlignmentWarnings);
        Assert.NotEqual(AlignmentWarnings.FalseStart, normal.AlignmentWarnings);
        Assert.True(result.SpeechTokens.Length > normal.SpeechTokens.Length, $"false start {result.SpeechTokens.Length} vs normal {normal.SpeechTokens.Length} tokens");
    }

    [Fact]
    public async Task Synthesize_LongTail_GuardForcesStop()
    {
        var result = await Synthesize(SyntheticAlignmentBehaviour.LongTail, seed: 7);
        Assert.Equal(StopReason.LongTail, result.StopReason);

        // Forced a few frames after the alignment completed, far below the hard cap (25 per text id).
        Assert.InRange(result.SpeechTokens.Length, 2 * result.TextIdCount, 4 * result.TextIdCount);
    }

    [Fact]
    public async Task Synthesize_AlignmentRepetition_GuardForcesStop()
    {
        var result = await Synthesize(SyntheticAlignmentBehaviour.AlignmentRepetition, seed: 7);
        Assert.Equal(StopReason.AlignmentRepetition, result.StopReason);

        // Starting over from the first text id is also a jump the guard reports.
        Assert.Equal(AlignmentWarnings.Discontinuity, result.AlignmentWarnings);
        Assert.InRange(result.SpeechTokens.Length, 2 * result.TextIdCount, 4 * result.TextIdCount);
    }

    [Fact]
    public async Task Synthesize_Discontinuity_ReportedAsDiagnostic()
    {
        var result = await Synthesize(SyntheticAlignmentBehaviour.Discontinuity, seed: 7);
        Assert.Equal(StopReason.EndOfSpeech, result.StopReason);
        Assert.Equal(AlignmentWarnings.Discontinuity, result.AlignmentWarnings);
    }

    [Fact]
    public async Task Synthesize_TokenRepetition_GuardForcesStopOnTheSecondRepeat()
    {
        var result = await Synthesize(SyntheticAlignmentBehaviour.TokenRepetition, seed: 7);
        Assert.Equal(StopReason.TokenRepetition, result.StopReason);
        Assert.Equal([SyntheticLanguageModelV2Graph.RepeatedToken, SyntheticLanguageModelV2Graph.RepeatedToken], result.SpeechTokens);
    }

    [Fact]
    public async Task Synthesize_ConcurrentSequences_EachMatchesItsSoloRun()
    {
        // v2 sequences cannot share a call (the graph's batch is one sequence's two rows); run together, each must
        // give what it gives alone.
        var ct = TestContext.Current.CancellationToken;
        var alone = await Synthesize(SyntheticAlignmentBehaviour.Normal, seed: 21);
        var other = Synthesize(SyntheticAlignmentBehaviour.LongTail, seed: 22);
        var together = Synthesize(SyntheticAlignmentBehaviour.Normal, seed: 21);
        await Task.WhenAll(other, together).WaitAsync(TimeSpan.FromMinutes(2), ct);
        Assert.Equal(alone.SpeechTokens, (await together).SpeechTokens);
        Assert.Equal(StopReason.LongTail, (await other).StopReason);
    }

    [Fact]
    public void Executor_TwoV2SequencesGivenTogether_EachRunsItsOwnCallsAndMatchesItsSoloRun()
    {
        // The scheduler hands the executor whole batches; with v2 each sequence must still run alone (fixed batch 2).
        var executor = new T3BatchExecutor(bundle.Engine.Bundle);
        var soloNormal = NewSequence(executor, SyntheticAlignmentBehaviour.Normal, seed: 5);
        var soloTail = NewSequence(executor, SyntheticAlignmentBehaviour.LongTail, seed: 6);
        RunToEnd(executor, [soloNormal]);
        RunToEnd(executor, [soloTail]);

        var normal = NewSequence(executor, SyntheticAlignmentBehaviour.Normal, seed: 5);
        var tail = NewSequence(executor, SyntheticAlignmentBehaviour.LongTail, seed: 6);
        RunToEnd(executor, [normal, tail]);

        Assert.Equal(StopReason.EndOfSpeech, normal.StopReason);
        Assert.Equal(StopReason.LongTail, tail.StopReason);
        Assert.Equal(soloNormal.Tokens, normal.Tokens);
        Assert.Equal(soloTail.Tokens, tail.Tokens);
    }

    [Fact]
    public void Executor_SpeculativeDecodingOnV2_RefusedWithAClearError()
    {
        var error = Assert.Throws<InferenceException>(() => new T3BatchExecutor(bundle.Engine.Bundle, new SpeculativeOptions { Enabled = true }));
        Assert.Equal(InferenceErrorCode.InvalidOptions, error.Code);
        Assert.Contains("v2 layout", error.Message, StringComparison.Ordinal);
    }

    private T3Sequence NewSequence(T3BatchExecutor executor, SyntheticAlignmentBehaviour behaviour, ulong seed) =>
        executor.CreateSequence(new GenerationRequest(
            bundle.Engine.Tokenizer.Encode(SyntheticAlignmentSteering.Steer(Sentence, behaviour), "en"),
            bundle.Engine.DefaultVoice,
            new SamplingOptions { Seed = seed }));

    private static void RunToEnd(T3BatchExecutor executor, IReadOnlyList<T3Sequence> sequences)
    {
        var ct = TestContext.Current.CancellationToken;
        executor.Prefill(sequences, ct);
        for (var step = 0; step < 1000 && sequences.Any(s => !s.IsFinished); step++)
        {
            executor.Step(sequences, ct);
        }

        Assert.All(sequences, s => Assert.True(s.IsFinished));
    }

    private Task<SynthesisResult> Synthesize(SyntheticAlignmentBehaviour behaviour, ulong seed) =>
        bundle.Engine.SynthesizeAsync(
            new SynthesisRequest(SyntheticAlignmentSteering.Steer(Sentence, behaviour), "en", Sampling: new SamplingOptions { Seed = seed }),
            cancellationToken: TestContext.Current.CancellationToken);
}
