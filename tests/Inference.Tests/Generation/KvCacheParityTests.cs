using Sawt.Inference.Generation;
using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Generation;

/// <summary>
/// Incremental decoding with the KV cache must give the logits of recomputing the whole sequence.
/// Tolerance: 1e-3 absolute on logits of magnitude up to ~25 (float32 accumulation-order noise). Runs long enough
/// to reach the synthetic STOP transition leave the STOP logit out: the synthetic head makes it tanh(400 x margin)
/// x 24, which turns 3e-6 of attention noise into 1e-2 near the transition; every other logit, which a corrupt
/// cache would move just as much, stays within 1e-5 there.
/// </summary>
[Trait("Category", "Unit")]
public sealed class KvCacheParityTests(TinyBundleFixture bundle)
{
    private const float Tolerance = 1e-3f;

    /// <summary>96, 118 and 124 text ids: on the tiny bundle each speaks about three tokens per text id, and each stops at a different step.</summary>
    private static readonly string[] LongTexts =
    [
        "The quick brown fox jumps over the lazy dog while the band plays on and the crowd sings along until the night ends.",
        "A longer sentence about nothing in particular, written so that the tokenizer makes well over a hundred text ids for the parity test to use.",
        "Ragged batches need sequences of different lengths, so this one is longer again: it talks about caches, capacities and the way they grow when full.",
    ];

    [Theory]
    [InlineData(0f)]
    [InlineData(0.5f)]
    public void Batch1_TwelveSteps_EveryStepMatchesRecompute(float cfgWeight)
    {
        var executor = new T3BatchExecutor(bundle.Engine.Bundle);
        var sequence = NewSequence(executor, "The quick brown fox jumps over the lazy dog.", seed: 7, cfgWeight);
        var perStep = Generate(executor, [sequence], steps: 12)[0];

        AssertEveryStepMatchesRecompute(executor, sequence, perStep, "batch of one", compareStop: true);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.5f)]
    public void Batch1_UntilItStops_EveryStepMatchesRecompute(float cfgWeight)
    {
        // Long enough that the presents fed back as pasts have grown far past the prefill.
        var executor = new T3BatchExecutor(bundle.Engine.Bundle);
        var sequence = NewSequence(executor, LongTexts[0], seed: 7, cfgWeight);
        var perStep = GenerationHelpers.Generate(executor, [sequence], keepStepping: _ => true);

        Assert.True(sequence.Tokens.Count > 100, $"{sequence.StopReason} after {sequence.Tokens.Count} tokens");
        AssertEveryStepMatchesRecompute(executor, sequence, perStep[0], "batch of one", compareStop: false);
    }

    [Fact]
    public void RaggedBatch_UntilEachStops_EachMatchesItsOwnRecompute()
    {
        // Three prefill lengths (one with guidance rows) under different amounts of left padding; as each one stops,
        // the others are gathered into a narrower batch, so every step after the first stop runs on gathered caches.
        var executor = new T3BatchExecutor(bundle.Engine.Bundle);
        var batch = LongTexts.Select((t, i) => NewSequence(executor, t, seed: (ulong)(i + 1), cfgWeight: i == 1 ? 0.5f : 0f)).ToList();
        Assert.Equal(3, batch.Select(q => q.Text.Ids.Length).Distinct().Count());
        var perStep = GenerationHelpers.Generate(executor, batch, keepStepping: _ => true);

        Assert.Equal(3, batch.Select(q => q.Tokens.Count).Distinct().Count());
        for (var i = 0; i < batch.Count; i++)
        {
            AssertEveryStepMatchesRecompute(executor, batch[i], perStep[i], $"sequence {i} of the ragged batch", compareStop: false);
        }
    }

    [Fact]
    public void RaggedBatch_ThreeLengths_EachMatchesItsOwnRecomputeAndBatchOfOne()
    {
        var executor = new T3BatchExecutor(bundle.Engine.Bundle);
        string[] texts = ["Hi.", "A somewhat longer sentence for the batch.", "مرحبا بكم في سوت"];
        string[] languages = ["en", "en", "ar"];
        var batch = texts.Select((t, i) => NewSequence(executor, t, seed: (ulong)(i + 1), cfgWeight: i == 1 ? 0.5f : 0f, language: languages[i])).ToList();
        var batched = Generate(executor, batch, steps: 8);

        for (var i = 0; i < batch.Count; i++)
        {
            var alone = NewSequence(executor, texts[i], seed: (ulong)(i + 1), cfgWeight: i == 1 ? 0.5f : 0f, language: languages[i]);
            var single = Generate(executor, [alone], steps: 8)[0];
            Assert.Equal(alone.Tokens, batch[i].Tokens);
            for (var step = 0; step < single.Count; step++)
            {
                AssertClose(single[step], batched[i][step], $"sequence {i} step {step} (batch vs alone)");
            }

            var h = executor.Info.HiddenSize;
            var fed = batch[i].FedEmbeddings!;
            var length = fed[0].Count / h;
            var recomputed = executor.RecomputeLogits([.. fed.SelectMany(r => r)], batch[i].Rows, length, TestContext.Current.CancellationToken);
            var width = executor.Info.LogitsWidth;
            for (var r = 0; r < batch[i].Rows; r++)
            {
                AssertClose(recomputed.AsSpan(((r * length) + length - 1) * width, width), batched[i][^1].AsSpan(r * width, width), $"sequence {i} row {r} (recompute)");
            }
        }
    }

    /// <summary>Recomputes the whole sequence from the embeddings it was fed and compares every LM call's last-position logits.</summary>
    private static void AssertEveryStepMatchesRecompute(T3BatchExecutor executor, T3Sequence sequence, List<float[]> perStep, string what, bool compareStop)
    {
        var fed = sequence.FedEmbeddings!;
        var h = executor.Info.HiddenSize;
        var width = executor.Info.LogitsWidth;
        var length = fed[0].Count / h;
        var recomputed = executor.RecomputeLogits([.. fed.SelectMany(r => r)], sequence.Rows, length, TestContext.Current.CancellationToken);

        // The prefill's last position, then one position per step.
        var prefill = length - (perStep.Count - 1);
        for (var step = 0; step < perStep.Count; step++)
        {
            var position = prefill - 1 + step;
            for (var r = 0; r < sequence.Rows; r++)
            {
                AssertClose(recomputed.AsSpan(((r * length) + position) * width, width), perStep[step].AsSpan(r * width, width), $"{what}, step {step}, row {r}", compareStop);
            }
        }
    }

    private T3Sequence NewSequence(T3BatchExecutor executor, string text, ulong seed, float cfgWeight, string language = "en") =>
        GenerationHelpers.NewSequence(bundle.Engine, executor, text, seed, cfgWeight, language);

    private static List<List<float[]>> Generate(T3BatchExecutor executor, IReadOnlyList<T3Sequence> sequences, int steps) =>
        GenerationHelpers.Generate(executor, sequences, steps);

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string where, bool compareStop = true)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0f;
        for (var i = 0; i < expected.Length; i++)
        {
            if (!compareStop && i == ChatterboxConstants.StopOfSpeech)
            {
                continue;
            }

            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }

        Assert.True(worst <= Tolerance, $"{where}: max |diff| {worst} > {Tolerance}");
    }
}
