using Sawt.Bench.Engine;

namespace Sawt.Bench.Tests;

/// <summary>
/// The raw ONNX Runtime loop the engine is measured against must do real decode work: every step's presents, fed
/// back as pasts by name, are one position longer, and incremental decoding gives the logits of one prefill over the
/// same embeddings. Tolerance 1e-3 absolute on logits of magnitude up to ~25 (float32 accumulation-order noise, as in
/// the engine's own KV cache parity tests).
/// </summary>
[Trait("Category", "Unit")]
public sealed class RawLanguageModelLoopTests(TinyBundleFixture fixture)
{
    private const float Tolerance = 1e-3f;
    private const int Rows = 2;
    private const int PrefillLength = 6;
    private const int Steps = 4;

    [Fact]
    public void Steps_EveryPresentGrowsByOnePositionPerStep()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var loop = new RawLanguageModelLoop(fixture.Bundle, Rows, PrefillLength, Steps, seed: 1);

        loop.Prefill(cancellationToken);
        AssertPresents(loop, PrefillLength);
        for (var k = 1; k <= Steps; k++)
        {
            loop.Step(cancellationToken);
            AssertPresents(loop, PrefillLength + k);
        }
    }

    [Fact]
    public void Prefill_AfterSteps_StartsAgainFromAnEmptyCache()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var loop = new RawLanguageModelLoop(fixture.Bundle, Rows, PrefillLength, Steps, seed: 1);
        loop.Prefill(cancellationToken);
        loop.Step(cancellationToken);
        loop.Step(cancellationToken);

        loop.Prefill(cancellationToken);

        AssertPresents(loop, PrefillLength);
    }

    [Fact]
    public void Steps_LastLogitsMatchOnePrefillOverTheSameEmbeddings()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var hidden = fixture.Bundle.HiddenSize;
        var prefill = Seeded(Rows * PrefillLength * hidden, seed: 3);
        var step = Seeded(Rows * hidden, seed: 4);
        using var incremental = new RawLanguageModelLoop(fixture.Bundle, Rows, PrefillLength, Steps, [.. prefill, .. step]);
        incremental.Prefill(cancellationToken);
        for (var k = 0; k < Steps; k++)
        {
            incremental.Step(cancellationToken);
        }

        // The same rows as one prefill: each row's prefill positions, then the step row once per step.
        var length = PrefillLength + Steps;
        var whole = new float[Rows * length * hidden];
        for (var r = 0; r < Rows; r++)
        {
            prefill.AsSpan(r * PrefillLength * hidden, PrefillLength * hidden).CopyTo(whole.AsSpan(r * length * hidden));
            for (var k = 0; k < Steps; k++)
            {
                step.AsSpan(r * hidden, hidden).CopyTo(whole.AsSpan(((r * length) + PrefillLength + k) * hidden));
            }
        }

        using var recompute = new RawLanguageModelLoop(fixture.Bundle, Rows, length, maxSteps: 0, [.. whole, .. new float[Rows * hidden]]);
        recompute.Prefill(cancellationToken);

        var expected = recompute.LastPositionLogits();
        var actual = incremental.LastPositionLogits();
        Assert.Equal(expected.Length, actual.Length);
        var worst = Enumerable.Range(0, expected.Length).Max(i => Math.Abs(expected[i] - actual[i]));
        Assert.True(worst <= Tolerance, $"largest logit difference {worst:G3} after {Steps} steps");
    }

    [Fact]
    public void Step_Cancelled_ThrowsWithoutRunning()
    {
        using var loop = new RawLanguageModelLoop(fixture.Bundle, Rows, PrefillLength, Steps, seed: 1);
        loop.Prefill(TestContext.Current.CancellationToken);

        Assert.Throws<OperationCanceledException>(() => loop.Step(new CancellationToken(canceled: true)));
        AssertPresents(loop, PrefillLength);
    }

    private void AssertPresents(RawLanguageModelLoop loop, int expectedLength)
    {
        var info = fixture.Bundle.LanguageModelInfo;
        Assert.Equal(expectedLength, loop.PastLength);
        var shapes = loop.PresentShapes();
        Assert.Equal(2 * info.Layers, shapes.Count);
        foreach (var (name, shape) in shapes)
        {
            Assert.True(shape.SequenceEqual([Rows, info.KvHeads, expectedLength, info.HeadDim]), $"{name} is [{string.Join(", ", shape)}]");
        }
    }

    private static float[] Seeded(int count, int seed)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            // A fixed, seed-dependent spread in [-0.5, 0.5); any values serve, both sides use the same ones.
            values[i] = (((i * 7919) + (seed * 104729)) % 1000 / 1000f) - 0.5f;
        }

        return values;
    }
}
