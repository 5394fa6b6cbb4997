using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Sampling;

/// <summary>
/// The Turbo order (model-contract.md 6.2: temperature, top-k, top-p, repetition penalty after the filters, softmax,
/// draw; no min-p) against the multilingual one (6.1: penalty first, min-p, top-p) on rows where the order decides
/// which ids survive.
/// </summary>
[Trait("Category", "Unit")]
public sealed class TurboSamplingOrderTests
{
    private static readonly long[] PenalisedZero = [0];

    [Fact]
    public void TopK_RunsBeforeThePenalty_PenalisedLeaderStillTheOnlySurvivor()
    {
        // Penalty 2 halves id 0 (5 -> 2.5), which would let id 1 (4.5) win top-1 if the penalty came first.
        var options = new SamplingOptions { Temperature = 1f, TopK = 1, TopP = 1f, RepetitionPenalty = 2f };
        var turbo = Probabilities(options, SamplingOrder.Turbo, [5f, 4.5f, 1f], PenalisedZero);

        Assert.Equal([1.0, 0.0, 0.0], turbo);
    }

    [Fact]
    public void TopP_RunsBeforeThePenalty_OrdersKeepDifferentIds()
    {
        // softmax(3, 2.9) = (0.525, 0.475): top-p 0.5 keeps only id 0. Penalised first (3 -> 1.5), id 1 leads instead.
        var options = new SamplingOptions { Temperature = 1f, MinP = 0f, TopP = 0.5f, RepetitionPenalty = 2f };
        float[] row = [3f, 2.9f, float.NegativeInfinity];

        var turbo = Probabilities(options, SamplingOrder.Turbo, row, PenalisedZero);
        var multilingual = Probabilities(options, SamplingOrder.Multilingual, row, PenalisedZero);

        Assert.Equal([1.0, 0.0, 0.0], turbo);
        Assert.Equal([0.0, 1.0, 0.0], multilingual);
    }

    [Fact]
    public void Penalty_AfterTheFilters_StillReweightsTheSurvivors()
    {
        // Both ids survive the filters; the penalty then halves the logit of id 0, the one in the history.
        var options = new SamplingOptions { Temperature = 1f, TopK = 0, TopP = 1f, RepetitionPenalty = 2f };
        var turbo = Probabilities(options, SamplingOrder.Turbo, [2f, 1f], PenalisedZero);

        // id 0: 2 / 2 = 1, id 1: 1 -> equal weights.
        Assert.Equal(0.5, turbo[0], 12);
        Assert.Equal(0.5, turbo[1], 12);
    }

    [Fact]
    public void MinP_NotAStepOfTurbo_IgnoredEvenWhenSet()
    {
        // exp(-5) is far below min-p 0.5 of the top: multilingual drops id 1, Turbo has no such step.
        var options = new SamplingOptions { Temperature = 1f, MinP = 0.5f, TopK = 0, TopP = 1f, RepetitionPenalty = 1f };
        float[] row = [0f, -5f];

        var turbo = Probabilities(options, SamplingOrder.Turbo, row, []);
        var multilingual = Probabilities(options, SamplingOrder.Multilingual, row, []);

        Assert.True(turbo[1] > 0, "Turbo dropped an id by min-p");
        Assert.Equal(0.0, multilingual[1]);
    }

    [Fact]
    public void TopK_NotAStepOfMultilingual_IgnoredEvenWhenSet()
    {
        var options = new SamplingOptions { Temperature = 1f, MinP = 0f, TopK = 1, TopP = 1f, RepetitionPenalty = 1f };
        var multilingual = Probabilities(options, SamplingOrder.Multilingual, [1f, 0.9f], []);
        Assert.True(multilingual[1] > 0, "the multilingual order applied top-k");
    }

    [Fact]
    public void Defaults_UnsetFilters_TakeTurboTopK1000AndTopP095()
    {
        // 1200 finite ids of nearly equal weight: top-k 1000 keeps the 1000 largest, top-p 0.95 then about 950 of them.
        var row = new float[TurboConstants.SpeechLogitsWidth];
        Array.Fill(row, float.NegativeInfinity);
        for (var i = 0; i < 1200; i++)
        {
            row[i] = 10f + (i * 1e-4f);
        }

        var turbo = Probabilities(new SamplingOptions { Temperature = 1f }, SamplingOrder.Turbo, row, []);
        var multilingual = Probabilities(new SamplingOptions { Temperature = 1f }, SamplingOrder.Multilingual, row, []);

        var kept = turbo.Count(p => p > 0);
        Assert.InRange(kept, 940, 960);
        Assert.All(turbo.Take(200), p => Assert.Equal(0.0, p)); // the 200 smallest fall to top-k
        Assert.Equal(1200, multilingual.Count(p => p > 0)); // min-p 0.05 and top-p 1 keep every near-equal id
    }

    [Fact]
    public void Sample_TurboOrder_DrawsFromWhatProbabilitiesIntoSays()
    {
        var options = new SamplingOptions { Temperature = 0.9f, TopK = 3, TopP = 0.9f, RepetitionPenalty = 1.5f, Seed = 4 };
        float[] source = [2f, 1.5f, 1.4f, 0.2f, -1f];
        long[] history = [1, 1, 3];
        var probabilities = Probabilities(options, SamplingOrder.Turbo, source, history);
        var sampler = new TokenSampler(options, new DeterministicRandom(9), SamplingOrder.Turbo);
        var counts = new int[source.Length];
        for (var i = 0; i < 20_000; i++)
        {
            counts[sampler.Sample((float[])source.Clone(), history)]++;
        }

        for (var id = 0; id < source.Length; id++)
        {
            Assert.Equal(probabilities[id], counts[id] / 20_000.0, 0.02);
        }

        Assert.Equal(0, counts[3] + counts[4]); // outside top-3
    }

    private static double[] Probabilities(SamplingOptions options, SamplingOrder order, float[] row, long[] history)
    {
        var probabilities = new double[row.Length];
        new TokenSampler(options, new DeterministicRandom(1), order).ProbabilitiesInto((float[])row.Clone(), history, probabilities);
        return probabilities;
    }
}
