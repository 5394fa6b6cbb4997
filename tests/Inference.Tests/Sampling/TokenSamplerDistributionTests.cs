using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Sampling;

[Trait("Category", "Unit")]
public sealed class TokenSamplerDistributionTests
{
    private const int Draws = 20_000;

    // Only temperature active unless a test says otherwise.
    private static readonly SamplingOptions Plain = new()
    {
        Temperature = 1f,
        MinP = 0f,
        TopP = 1f,
        RepetitionPenalty = 1f,
    };

    [Theory]
    [InlineData(1.0f)]
    [InlineData(0.5f)]
    [InlineData(2.0f)]
    [InlineData(0.8f)]
    public void Sample_Temperature_MatchesSoftmaxOfScaledLogits(float temperature)
    {
        double[] logits = [0.0, 1.0, 2.0, 3.0, -1.0];

        var counts = Count(logits, Plain with { Temperature = temperature }, seed: 11);

        var expected = Statistics.Softmax(logits.Select(l => l / temperature).ToArray());
        Assert.True(
            Statistics.ChiSquare(counts, expected) < Statistics.ChiSquareCritical(logits.Length - 1),
            $"counts {string.Join(",", counts)} vs {string.Join(",", expected.Select(p => (p * Draws).ToString("0")))}");
    }

    [Fact]
    public void Sample_Temperature_LowSharpensHighFlattens()
    {
        double[] logits = [0.0, 1.0, 2.0, 3.0];

        var cold = Count(logits, Plain with { Temperature = 0.5f }, seed: 1)[3];
        var neutral = Count(logits, Plain, seed: 1)[3];
        var hot = Count(logits, Plain with { Temperature = 2f }, seed: 1)[3];

        Assert.True(cold > neutral && neutral > hot, $"top-token counts {cold}, {neutral}, {hot}");
    }

    [Fact]
    public void Sample_MinP_NeverDrawsIdsBelowThreshold()
    {
        // Probabilities relative to the top: 1, 0.5, 0.2, 0.06, 0.04, 0.01; min_p 0.05 drops the last two.
        double[] relative = [0.2, 0.04, 1.0, 0.06, 0.5, 0.01];
        var logits = relative.Select(r => Math.Log(r)).ToArray();

        var counts = Count(logits, Plain with { MinP = 0.05f }, seed: 21);

        Assert.Equal(0, counts[1]);
        Assert.Equal(0, counts[5]);
        var kept = relative.Select(r => r >= 0.05 ? r : 0).ToArray();
        var expected = kept.Select(r => r / kept.Sum()).ToArray();
        Assert.True(Statistics.ChiSquare(counts, expected) < Statistics.ChiSquareCritical(3));
        Assert.True(counts[3] > 0, "0.06 is above the threshold and must stay drawable");
    }

    [Fact]
    public void Sample_MinP_MarksDroppedIdsNegativeInfinityInPlace()
    {
        var logits = new[] { 0.2, 0.04, 1.0, 0.06, 0.5, 0.01 }.Select(r => (float)Math.Log(r)).ToArray();
        var sampler = new TokenSampler(Plain with { MinP = 0.05f }, new DeterministicRandom(1));

        sampler.Sample(logits, []);

        Assert.Equal([false, true, false, false, false, true], logits.Select(float.IsNegativeInfinity).ToArray());
    }

    [Fact]
    public void Sample_MinPAfterTemperature_UsesScaledProbabilities()
    {
        // At temperature 4 the relative probabilities become r^(1/4): 0.04 -> 0.45, 0.01 -> 0.32, all above 0.05.
        double[] relative = [1.0, 0.04, 0.01];
        var logits = relative.Select(r => Math.Log(r)).ToArray();

        var counts = Count(logits, Plain with { MinP = 0.05f, Temperature = 4f }, seed: 22);

        var expected = Statistics.Softmax(logits.Select(l => l / 4).ToArray());
        Assert.True(Statistics.ChiSquare(counts, expected) < Statistics.ChiSquareCritical(2));
    }

    [Theory]
    [InlineData(0.75f, new[] { 0, 1, 0, 1 })]
    [InlineData(0.9f, new[] { 1, 1, 0, 1 })]
    [InlineData(0.3f, new[] { 0, 1, 0, 0 })]
    [InlineData(1.0f, new[] { 1, 1, 1, 1 })]
    public void Sample_TopP_DrawsFromNucleusOnly(float topP, int[] inNucleus)
    {
        // Ids hold probabilities 0.12, 0.5, 0.08, 0.3; sorted ascending the cumulative sums are 0.08, 0.2, 0.5, 1.
        double[] probabilities = [0.12, 0.5, 0.08, 0.3];
        var logits = probabilities.Select(r => Math.Log(r)).ToArray();

        var counts = Count(logits, Plain with { TopP = topP }, seed: 31);

        var kept = probabilities.Select((p, i) => inNucleus[i] == 1 ? p : 0).ToArray();
        for (var i = 0; i < kept.Length; i++)
        {
            Assert.Equal(kept[i] == 0, counts[i] == 0);
        }

        var expected = kept.Select(p => p / kept.Sum()).ToArray();
        var degrees = Math.Max(1, inNucleus.Sum() - 1);
        Assert.True(Statistics.ChiSquare(counts, expected) < Statistics.ChiSquareCritical(degrees));
    }

    [Fact]
    public void Sample_TinyTopP_KeepsTheTopToken()
    {
        double[] logits = [1.0, 1.1, 0.9];

        var counts = Count(logits, Plain with { TopP = 1e-6f }, seed: 32);

        Assert.Equal([0, Draws, 0], counts);
    }

    [Fact]
    public void Sample_MinPThenTopP_AppliesBothFilters()
    {
        // Relative 1, 0.8, 0.3, 0.03: min-p 0.05 drops 0.03; renormalised 0.476, 0.381, 0.143; top-p 0.8 drops 0.143.
        double[] relative = [0.03, 0.3, 0.8, 1.0];
        var logits = relative.Select(r => Math.Log(r)).ToArray();

        var counts = Count(logits, Plain with { MinP = 0.05f, TopP = 0.8f }, seed: 33);

        Assert.Equal(0, counts[0]);
        Assert.Equal(0, counts[1]);
        Assert.True(Statistics.ChiSquare(counts, [0, 0, 0.8 / 1.8, 1 / 1.8]) < Statistics.ChiSquareCritical(1));
    }

    [Fact]
    public void Sample_MinPBeforeTopP_TopPRenormalisesOverMinPSurvivors()
    {
        // The reference order (model-contract.md 6.1; upstream t3 inference calls min_p_warper, then top_p_warper):
        // probabilities 0.4, 0.3 and 300 x 0.001. Min-p 0.05 first drops the 300 (below 0.02); top-p 0.5 then sees
        // 0.571 and 0.429 and drops 0.429 (cumulative 0.429 <= 0.5): only id 0 is ever drawn. In the other order
        // top-p sees the 300 first (cumulative 0.3, dropped) and keeps id 1 (0.6 > 0.5), and min-p keeps it too
        // (0.75 of the top), so id 1 would be drawn about 43% of the time.
        var logits = new double[302];
        logits[0] = Math.Log(0.4);
        logits[1] = Math.Log(0.3);
        for (var i = 2; i < logits.Length; i++)
        {
            logits[i] = Math.Log(0.001);
        }

        var counts = Count(logits, Plain with { MinP = 0.05f, TopP = 0.5f }, seed: 34);

        Assert.Equal(Draws, counts[0]);
        var row = logits.Select(l => (float)l).ToArray();
        new TokenSampler(Plain with { MinP = 0.05f, TopP = 0.5f }, new DeterministicRandom(1)).Sample(row, []);
        Assert.False(float.IsNegativeInfinity(row[0]));
        Assert.All(row[1..], l => Assert.True(float.IsNegativeInfinity(l)));
    }

    [Fact]
    public void Sample_RepetitionPenalty_ShiftsDistributionAsReference()
    {
        // History penalises id 0 (positive logit, divided) and id 2 (negative logit, multiplied), each once.
        double[] logits = [2.0, 1.5, -0.5, 0.0];
        long[] history = [0, 0, 2, 0, 2];

        var counts = Count(logits, Plain with { RepetitionPenalty = 2f }, seed: 41, history);

        var expected = Statistics.Softmax([1.0, 1.5, -1.0, 0.0]);
        Assert.True(Statistics.ChiSquare(counts, expected) < Statistics.ChiSquareCritical(3));
    }

    private static int[] Count(double[] logits, SamplingOptions options, ulong seed, long[]? history = null)
    {
        var sampler = new TokenSampler(options, new DeterministicRandom(seed));
        var row = new float[logits.Length];
        var counts = new int[logits.Length];
        for (var i = 0; i < Draws; i++)
        {
            for (var j = 0; j < row.Length; j++)
            {
                row[j] = (float)logits[j];
            }

            counts[sampler.Sample(row, history ?? [])]++;
        }

        return counts;
    }
}
