using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Sampling;

[Trait("Category", "Unit")]
public sealed class TokenSamplerProbabilitiesTests
{
    private const int Width = 12;
    private const int Draws = 40_000;

    public static TheoryData<float, float, float, float> Settings => new()
    {
        // temperature, min-p, top-p, repetition penalty
        { 1f, 0f, 1f, 1f },
        { 0.8f, 0.05f, 1f, 1.2f },
        { 1.3f, 0.1f, 0.8f, 1.5f },
        { 0.6f, 0f, 0.7f, 2f },
        { 0f, 0.05f, 1f, 1.2f },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void Sample_EmpiricalFrequencies_MatchProbabilitiesInto(float temperature, float minP, float topP, float penalty)
    {
        var options = Options(temperature, minP, topP, penalty);
        var source = RandomLogits(seed: 3, scale: 2.5f);
        long[] history = [1, 4, 4, 9];
        var probabilities = new double[Width];
        new TokenSampler(options, new DeterministicRandom(1)).ProbabilitiesInto((float[])source.Clone(), history, probabilities);
        var sampler = new TokenSampler(options, new DeterministicRandom(17));
        var counts = new int[Width];
        var row = new float[Width];

        for (var i = 0; i < Draws; i++)
        {
            source.CopyTo(row, 0);
            counts[sampler.Sample(row, history)]++;
        }

        var fit = GoodnessOfFit.Test(counts, probabilities);
        Assert.False(fit.Rejects, $"{fit}; counts {string.Join(",", counts)}");
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void Sample_SameStream_DrawsWhatDrawOverProbabilitiesIntoDraws(float temperature, float minP, float topP, float penalty)
    {
        // The strongest form of "Sample draws from that vector": with the same random stream the two paths pick the
        // same id, draw by draw (they could part only where rounding puts the uniform within 1e-15 of a boundary).
        var options = Options(temperature, minP, topP, penalty);
        var sampling = new TokenSampler(options, new DeterministicRandom(23));
        var viaVector = new TokenSampler(options, new DeterministicRandom(23));
        var probabilities = new double[Width];
        var history = new List<long> { 0 };
        for (var step = 0; step < 2000; step++)
        {
            var source = RandomLogits(seed: (ulong)step, scale: 3f);

            var sampled = sampling.Sample((float[])source.Clone(), history.ToArray());
            viaVector.ProbabilitiesInto((float[])source.Clone(), history.ToArray(), probabilities);
            var drawn = viaVector.Draw(probabilities);

            Assert.Equal(sampled, drawn);
            history.Add(sampled);
        }
    }

    [Fact]
    public void ProbabilitiesInto_SumsToOne_ZeroExactlyWhereTheRowWasDropped()
    {
        var options = Options(0.9f, 0.1f, 0.8f, 1.3f);
        var logits = RandomLogits(seed: 5, scale: 3f);
        var probabilities = new double[Width];

        new TokenSampler(options, new DeterministicRandom(1)).ProbabilitiesInto(logits, [2, 7], probabilities);

        Assert.Equal(1.0, probabilities.Sum(), precision: 12);
        for (var id = 0; id < Width; id++)
        {
            Assert.Equal(float.IsNegativeInfinity(logits[id]), probabilities[id] == 0);
        }

        Assert.Contains(probabilities, p => p == 0);
    }

    [Fact]
    public void ProbabilitiesInto_MatchesSoftmaxOfPenalisedScaledLogits()
    {
        // Penalty and temperature only, so the vector has a closed form to compare against.
        float[] logits = [2f, 1.5f, -0.5f, 0f];
        var probabilities = new double[4];

        new TokenSampler(Options(0.5f, 0f, 1f, 2f), new DeterministicRandom(1)).ProbabilitiesInto(logits, [0, 2, 0], probabilities);

        var expected = Statistics.Softmax([1.0 / 0.5, 1.5 / 0.5, -1.0 / 0.5, 0.0]);
        for (var id = 0; id < 4; id++)
        {
            Assert.Equal(expected[id], probabilities[id], precision: 6);
        }
    }

    [Fact]
    public void ProbabilitiesInto_TemperatureZero_OneHotAtArgmaxAfterPenalty_RandomUntouched()
    {
        float[] logits = [0f, 5f, 4.5f, 4f];
        var probabilities = new double[4];
        var random = new DeterministicRandom(9);
        var witness = random.Clone();

        new TokenSampler(Options(0f, 0.05f, 0.5f, 1.2f), random).ProbabilitiesInto(logits, [1], probabilities);

        Assert.Equal([0.0, 0.0, 1.0, 0.0], probabilities);
        Assert.Equal(witness.NextUInt64(), random.NextUInt64());
    }

    [Fact]
    public void ProbabilitiesInto_SampledSettings_DoesNotAdvanceTheRandomStream()
    {
        var random = new DeterministicRandom(9);
        var witness = random.Clone();

        new TokenSampler(Options(0.8f, 0.05f, 0.9f, 1.2f), random).ProbabilitiesInto(RandomLogits(1, 2f), [3], new double[Width]);

        Assert.Equal(witness.NextUInt64(), random.NextUInt64());
    }

    [Fact]
    public void ProbabilitiesInto_WidthMismatch_Throws()
    {
        var sampler = new TokenSampler(new SamplingOptions(), new DeterministicRandom(1));

        Assert.Throws<ArgumentException>(() => sampler.ProbabilitiesInto(new float[Width], [], new double[Width - 1]));
    }

    private static SamplingOptions Options(float temperature, float minP, float topP, float penalty) => new()
    {
        Temperature = temperature,
        MinP = minP,
        TopP = topP,
        RepetitionPenalty = penalty,
    };

    private static float[] RandomLogits(ulong seed, float scale)
    {
        var random = new DeterministicRandom(seed);
        var logits = new float[Width];
        for (var i = 0; i < Width; i++)
        {
            logits[i] = (float)((random.NextDouble() * 2) - 1) * scale;
        }

        return logits;
    }
}
