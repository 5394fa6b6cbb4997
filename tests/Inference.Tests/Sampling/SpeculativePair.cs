using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Sampling;

/// <summary>
/// A target and a draft processed distribution over one small row, both made by <see cref="TokenSampler"/> from
/// seeded random logits with the penalty, min-p and top-p active, so they carry the zeros real processing makes.
/// </summary>
internal sealed record SpeculativePair(string Name, double[] Target, double[] Draft)
{
    public const int Width = 12;

    /// <summary>Pairs by index; each is checked to be a case worth testing (see the tests).</summary>
    public static SpeculativePair Create(int index)
    {
        long[] history = [1, 4, 4, 9];
        return index switch
        {
            // The draft is a noisy copy without filters: it puts mass on ids the target's min-p and top-p dropped.
            0 => new(
                "draft wider than target",
                Process(Logits(seed: 1, scale: 3f), Options(0.9f, 0.1f, 0.85f, 1.3f), history),
                Process(Noisy(Logits(seed: 1, scale: 3f), seed: 2, noise: 1f), Options(1.3f, 0f, 1f, 1f), history)),

            // The draft is sharper and filtered: the target has mass on ids the draft never proposes.
            1 => new(
                "draft narrower than target",
                Process(Logits(seed: 3, scale: 2f), Options(1.1f, 0.02f, 1f, 1.2f), history),
                Process(Noisy(Logits(seed: 3, scale: 2f), seed: 4, noise: 1.5f), Options(0.6f, 0.2f, 0.7f, 1.2f), history)),

            // Different logits, both filtered: each side has mass where the other has none.
            2 => new(
                "supports overlap partly",
                Process(Logits(seed: 5, scale: 3f), Options(0.8f, 0.05f, 0.9f, 1.5f), history),
                Process(Logits(seed: 6, scale: 3f), Options(1f, 0.05f, 0.9f, 1.5f), history)),

            // A close draft (a quantised copy): high acceptance, small residual.
            3 => new(
                "close draft",
                Process(Logits(seed: 7, scale: 2.5f), Options(0.8f, 0.05f, 1f, 1.2f), history),
                Process(Noisy(Logits(seed: 7, scale: 2.5f), seed: 8, noise: 0.3f), Options(0.8f, 0.05f, 1f, 1.2f), history)),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };
    }

    /// <summary>Output distribution of a verifier that accepts every draft: q.</summary>
    public double[] AcceptAlwaysOutput() => Draft;

    /// <summary>
    /// Output distribution of a verifier that resamples from p instead of the residual on rejection:
    /// min(p, q) + (1 - sum min(p, q)) p.
    /// </summary>
    public double[] ResampleFromTargetOutput()
    {
        var kept = Target.Zip(Draft, Math.Min).ToArray();
        var rejected = 1 - kept.Sum();
        return kept.Select((k, id) => k + (rejected * Target[id])).ToArray();
    }

    public override string ToString() => Name;

    private static double[] Process(float[] logits, SamplingOptions options, long[] history)
    {
        var probabilities = new double[logits.Length];
        new TokenSampler(options, new DeterministicRandom(1)).ProbabilitiesInto(logits, history, probabilities);
        return probabilities;
    }

    private static SamplingOptions Options(float temperature, float minP, float topP, float penalty) => new()
    {
        Temperature = temperature,
        MinP = minP,
        TopP = topP,
        RepetitionPenalty = penalty,
    };

    private static float[] Logits(ulong seed, float scale) => Noisy(new float[Width], seed, scale);

    private static float[] Noisy(float[] logits, ulong seed, float noise)
    {
        var random = new DeterministicRandom(seed);
        var result = new float[logits.Length];
        for (var i = 0; i < logits.Length; i++)
        {
            result[i] = logits[i] + ((float)((random.NextDouble() * 2) - 1) * noise);
        }

        return result;
    }
}
