using Sawt.Inference.Generation;
using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Generation;

/// <summary>
/// Incremental decoding with the KV cache must give the logits of recomputing the whole sequence.
/// Tolerance: 1e-3 absolute on logits of magnitude up to ~25 (float32 accumulation-order noise).
/// </summary>
[Trait("Category", "Unit")]
public sealed class KvCacheParityTests(TinyBundleFixture bundle)
{
    private const float Tolerance = 1e-3f;

    [Theory]
    [InlineData(0f)]
    [InlineData(0.5f)]
    public void Batch1_TwelveSteps_EveryStepMatchesRecompute(float cfgWeight)
    {
        var executor = new T3BatchExecutor(bundle.Engine.Bundle);
        var sequence = NewSequence(executor, "The quick brown fox jumps over the lazy dog.", seed: 7, cfgWeight);
        var perStep = Generate(executor, [sequence], steps: 12)[0];

        var fed = sequence.FedEmbeddings!;
        var h = executor.Info.HiddenSize;
        var width = executor.Info.LogitsWidth;
        var length = fed[0].Count / h;
        var rows = sequence.Rows;
        var recomputed = executor.RecomputeLogits([.. fed.SelectMany(r => r)], rows, length, TestContext.Current.CancellationToken);

        var prefill = length - (perStep.Count - 1);
        for (var step = 0; step < perStep.Count; step++)
        {
            var position = prefill - 1 + step;
            for (var r = 0; r < rows; r++)
            {
                AssertClose(recomputed.AsSpan(((r * length) + position) * width, width), perStep[step].AsSpan(r * width, width), $"step {step} row {r}");
            }
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

    private T3Sequence NewSequence(T3BatchExecutor executor, string text, ulong seed, float cfgWeight, string language = "en") =>
        GenerationHelpers.NewSequence(bundle.Engine, executor, text, seed, cfgWeight, language);

    private static List<List<float[]>> Generate(T3BatchExecutor executor, IReadOnlyList<T3Sequence> sequences, int steps) =>
        GenerationHelpers.Generate(executor, sequences, steps);

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string where)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0f;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }

        Assert.True(worst <= Tolerance, $"{where}: max |diff| {worst} > {Tolerance}");
    }
}
