using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Sampling;

[Trait("Category", "Unit")]
public sealed class TokenSamplerTests
{
    private const int Width = ChatterboxConstants.SpeechLogitsWidth;

    private static readonly SamplingOptions PenaltyOnly = new()
    {
        Temperature = 1f,
        MinP = 0f,
        TopP = 1f,
        RepetitionPenalty = 1.2f,
    };

    [Fact]
    public void Sample_RepetitionPenalty_AppliedOncePerDistinctIdInFloat32()
    {
        var original = RandomLogits(Width, seed: 5, scale: 4f);
        original[8193] = 3.3f;
        original[6563] = -2.7f;
        original[6561] = 0f;
        original[100] = float.NegativeInfinity;
        long[] history = [6561, 42, 42, 42, 7, 6563, 8193, 42, 6562, 100, 7, 0, 8193];
        var distinct = history.Distinct().Select(id => (int)id).ToHashSet();
        var logits = (float[])original.Clone();
        var sampler = new TokenSampler(PenaltyOnly, new DeterministicRandom(1));

        sampler.Sample(logits, history);

        for (var id = 0; id < Width; id++)
        {
            var value = original[id];
            var expected = !distinct.Contains(id) ? value : value < 0f ? value * 1.2f : value / 1.2f;
            Assert.Equal(expected, logits[id]);
        }
    }

    [Fact]
    public void Sample_RepetitionPenalty_DiffersFromDoubleArithmetic()
    {
        // Guards the float32 requirement: over many values, float and double penalties must disagree somewhere,
        // and the sampler must match the float one everywhere.
        var original = RandomLogits(Width, seed: 6, scale: 10f);
        var history = Enumerable.Range(0, Width).Select(i => (long)i).ToArray();
        var logits = (float[])original.Clone();

        new TokenSampler(PenaltyOnly, new DeterministicRandom(1)).Sample(logits, history);

        var differsFromDouble = 0;
        for (var id = 0; id < Width; id++)
        {
            var value = original[id];
            var asFloat = value < 0f ? value * 1.2f : value / 1.2f;
            var asDouble = (float)(value < 0f ? value * 1.2 : value / 1.2);
            Assert.Equal(asFloat, logits[id]);
            differsFromDouble += asFloat != asDouble ? 1 : 0;
        }

        Assert.True(differsFromDouble > 0);
    }

    [Fact]
    public void Sample_TemperatureZero_ArgmaxAfterThePenalty_WhateverTheSeed()
    {
        // Raw argmax is 10; penalised (it was spoken) it drops below 20, which greedy must then pick on every seed.
        var logits = new float[Width];
        logits[10] = 5f;
        logits[20] = 4.5f;
        logits[30] = 4f;
        var greedy = PenaltyOnly with { Temperature = 0f, MinP = 0.05f, TopP = 0.5f };

        for (var seed = 1UL; seed <= 20; seed++)
        {
            var row = (float[])logits.Clone();
            Assert.Equal(20, new TokenSampler(greedy, new DeterministicRandom(seed)).Sample(row, [10]));
            Assert.Equal(4.5f, row[20]);
            Assert.Equal(Width - 1, row.Count(float.IsNegativeInfinity));
        }
    }

    [Fact]
    public void Sample_TemperatureZero_TieGoesToTheLowestId_AndTheRandomStreamAdvancesOnce()
    {
        var logits = new float[Width];
        logits[700] = 2f;
        logits[300] = 2f;
        var random = new DeterministicRandom(9);
        var reference = new DeterministicRandom(9);

        Assert.Equal(300, new TokenSampler(PenaltyOnly with { Temperature = 0f }, random).Sample(logits, []));

        reference.NextDouble();
        Assert.Equal(reference.NextUInt64(), random.NextUInt64());
    }

    [Fact]
    public void Sample_PenaltyThenTemperature_DividesInFloat32InPlace()
    {
        var original = RandomLogits(Width, seed: 12, scale: 6f);
        var logits = (float[])original.Clone();
        var sampler = new TokenSampler(PenaltyOnly with { Temperature = 0.8f }, new DeterministicRandom(1));

        sampler.Sample(logits, [6561, 3]);

        for (var id = 0; id < Width; id++)
        {
            var value = original[id];
            var penalised = id is 6561 or 3 ? (value < 0f ? value * 1.2f : value / 1.2f) : value;
            Assert.Equal(penalised / 0.8f, logits[id]);
        }
    }

    [Fact]
    public void Sample_TopPCumulativeExactlyAtThreshold_DropsThatToken()
    {
        // Four equal logits: probabilities exactly 0.25 and 1 - 0.75 = 0.25, so the first sorted token goes
        // (the reference removes cumulative <= 1 - top_p); which of the tied ids goes is unspecified.
        var sampler = new TokenSampler(PenaltyOnly with { TopP = 0.75f, RepetitionPenalty = 1f }, new DeterministicRandom(2));
        var drawn = new HashSet<int>();
        for (var i = 0; i < 2000; i++)
        {
            float[] logits = [0f, 0f, 0f, 0f];
            drawn.Add(sampler.Sample(logits, []));
            Assert.Equal(1, logits.Count(float.IsNegativeInfinity));
        }

        Assert.Equal(3, drawn.Count);
    }

    [Theory]
    [InlineData(8194L)]
    [InlineData(-1L)]
    [InlineData(long.MaxValue)]
    public void Sample_HistoryIdOutsideRow_Throws(long badId)
    {
        var sampler = new TokenSampler(new SamplingOptions(), new DeterministicRandom(1));

        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.Sample(new float[Width], [6561, badId]));
    }

    [Fact]
    public void Sample_AllNegativeInfinity_ThrowsRuntimeFailure()
    {
        var sampler = new TokenSampler(new SamplingOptions(), new DeterministicRandom(1));
        var logits = Enumerable.Repeat(float.NegativeInfinity, Width).ToArray();

        var error = Assert.Throws<InferenceException>(() => sampler.Sample(logits, [6561]));

        Assert.Equal(InferenceErrorCode.RuntimeFailure, error.Code);
        Assert.Contains("no finite logit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_AllNaN_ThrowsRuntimeFailure()
    {
        var sampler = new TokenSampler(new SamplingOptions(), new DeterministicRandom(1));

        var error = Assert.Throws<InferenceException>(() => sampler.Sample(Enumerable.Repeat(float.NaN, 16).ToArray(), []));

        Assert.Equal(InferenceErrorCode.RuntimeFailure, error.Code);
    }

    [Fact]
    public void Sample_NaNEntries_AreNeverDrawn()
    {
        var sampler = new TokenSampler(new SamplingOptions { MinP = 0f }, new DeterministicRandom(3));
        for (var i = 0; i < 2000; i++)
        {
            float[] logits = [float.NaN, 0f, float.NaN, 0f, float.NegativeInfinity];

            var id = sampler.Sample(logits, []);

            Assert.True(id is 1 or 3, $"drew {id}");
        }
    }

    [Fact]
    public void Sample_PositiveInfinity_IsAlwaysDrawn()
    {
        var sampler = new TokenSampler(new SamplingOptions(), new DeterministicRandom(3));
        for (var i = 0; i < 200; i++)
        {
            float[] logits = [5f, float.PositiveInfinity, 7f, float.NaN];

            Assert.Equal(1, sampler.Sample(logits, [0, 1]));
        }
    }

    [Fact]
    public void Sample_SingleFiniteLogitAmongNegativeInfinity_ReturnsIt()
    {
        var sampler = new TokenSampler(new SamplingOptions { TopP = 0.5f }, new DeterministicRandom(3));
        var logits = Enumerable.Repeat(float.NegativeInfinity, Width).ToArray();
        logits[6562] = -32768f;

        Assert.Equal(6562, sampler.Sample(logits, [6561]));
    }

    [Fact]
    public void Sample_EmptyRow_Throws()
    {
        var sampler = new TokenSampler(new SamplingOptions(), new DeterministicRandom(1));

        Assert.Throws<ArgumentException>(() => sampler.Sample([], []));
    }

    [Fact]
    public void Sample_SameSeed_SameSequence()
    {
        var first = DrawSequence(seed: 77);
        var second = DrawSequence(seed: 77);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Sample_DifferentSeeds_DifferentSequences()
    {
        Assert.NotEqual(DrawSequence(seed: 77), DrawSequence(seed: 78));
    }

    [Fact]
    public void Sample_ConsumesExactlyOneRandomValuePerCall()
    {
        var random = new DeterministicRandom(9);
        var witness = random.Clone();
        var sampler = new TokenSampler(new SamplingOptions { TopP = 0.9f }, random);

        sampler.Sample(RandomLogits(Width, seed: 1, scale: 3f), [6561]);
        sampler.Sample(RandomLogits(Width, seed: 2, scale: 3f), [6561, 5]);

        witness.NextUInt64();
        witness.NextUInt64();
        Assert.Equal(witness.NextUInt64(), random.NextUInt64());
    }

    [Fact]
    public void Sample_DefaultOptionsFullWidth_ReturnsFiniteInRangeId()
    {
        var sampler = new TokenSampler(new SamplingOptions(), new DeterministicRandom(4));
        var history = new List<long> { 6561 };
        for (var step = 0; step < 200; step++)
        {
            var logits = RandomLogits(Width, seed: (ulong)step, scale: 5f);

            var id = sampler.Sample(logits, history.ToArray());

            Assert.InRange(id, 0, Width - 1);
            Assert.False(float.IsNegativeInfinity(logits[id]));
            history.Add(id);
        }
    }

    [Fact]
    public void Sample_SteadyState_DoesNotAllocate()
    {
        var sampler = new TokenSampler(new SamplingOptions { TopP = 0.95f }, new DeterministicRandom(4));
        var source = RandomLogits(Width, seed: 8, scale: 3f);
        var logits = new float[Width];
        long[] history = [6561, 1, 2, 3, 8000];
        // Warm up past tiered-JIT promotion, whose stubs can allocate on this thread the first times through.
        for (var i = 0; i < 1000; i++)
        {
            source.CopyTo(logits, 0);
            sampler.Sample(logits, history);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            source.CopyTo(logits, 0);
            sampler.Sample(logits, history);
        }

        // Per call the sampler would need at least one 8194-wide buffer (32 KB); allow only runtime noise below 1 KB in total.
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1023);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsInvalidOptions()
    {
        var error = Assert.Throws<InferenceException>(
            () => new TokenSampler(new SamplingOptions { Temperature = -0.1f }, new DeterministicRandom(1)));

        Assert.Equal(InferenceErrorCode.InvalidOptions, error.Code);
    }

    [Fact]
    public void ApplyClassifierFreeGuidance_ComputesCondPlusWeightedDifferenceInFloat32()
    {
        var cond = RandomLogits(Width, seed: 1, scale: 8f);
        var uncond = RandomLogits(Width, seed: 2, scale: 8f);
        var result = (float[])cond.Clone();

        TokenSampler.ApplyClassifierFreeGuidance(result, uncond, 0.5f);

        for (var i = 0; i < Width; i++)
        {
            var difference = cond[i] - uncond[i];
            Assert.Equal(cond[i] + (0.5f * difference), result[i]);
        }

        Assert.Equal(3.5f, Apply(3f, 2f, 0.5f));
        Assert.Equal(-4f, Apply(-2f, 0f, 1f));
        Assert.Equal(3f, Apply(3f, 100f, 0f));
    }

    [Fact]
    public void ApplyClassifierFreeGuidance_WidthMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => TokenSampler.ApplyClassifierFreeGuidance(new float[4], new float[5], 0.5f));
    }

    private static float Apply(float cond, float uncond, float weight)
    {
        float[] row = [cond];
        TokenSampler.ApplyClassifierFreeGuidance(row, [uncond], weight);
        return row[0];
    }

    private static int[] DrawSequence(ulong seed)
    {
        var sampler = new TokenSampler(new SamplingOptions(), new DeterministicRandom(seed));
        var source = RandomLogits(Width, seed: 123, scale: 1f);
        var history = new List<long> { 6561 };
        var drawn = new int[100];
        for (var i = 0; i < drawn.Length; i++)
        {
            drawn[i] = sampler.Sample((float[])source.Clone(), history.ToArray());
            history.Add(drawn[i]);
        }

        return drawn;
    }

    private static float[] RandomLogits(int width, ulong seed, float scale)
    {
        var random = new DeterministicRandom(seed);
        var logits = new float[width];
        for (var i = 0; i < width; i++)
        {
            logits[i] = (float)((random.NextDouble() * 2) - 1) * scale;
        }

        return logits;
    }
}
