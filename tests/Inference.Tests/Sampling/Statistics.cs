namespace Sawt.Inference.Tests.Sampling;

/// <summary>Goodness-of-fit helpers for the statistical sampler tests (all seeds are fixed, so no flakiness).</summary>
internal static class Statistics
{
    /// <summary>Pearson's statistic over the bins with positive expected probability.</summary>
    public static double ChiSquare(IReadOnlyList<int> counts, IReadOnlyList<double> probabilities)
    {
        var total = counts.Sum();
        var statistic = 0.0;
        for (var i = 0; i < counts.Count; i++)
        {
            if (probabilities[i] <= 0)
            {
                continue;
            }

            var expected = total * probabilities[i];
            statistic += (counts[i] - expected) * (counts[i] - expected) / expected;
        }

        return statistic;
    }

    /// <summary>Upper 0.01 % point of chi-square (Wilson-Hilferty), i.e. a correct sampler fails 1 in 10 000.</summary>
    public static double ChiSquareCritical(int degreesOfFreedom)
    {
        const double Z = 3.719;
        double k = degreesOfFreedom;
        var term = 1 - (2 / (9 * k)) + (Z * Math.Sqrt(2 / (9 * k)));
        return k * term * term * term;
    }

    /// <summary>Softmax in double, -infinity giving 0.</summary>
    public static double[] Softmax(IReadOnlyList<double> logits)
    {
        var max = logits.Max();
        var exps = logits.Select(l => Math.Exp(l - max)).ToArray();
        var sum = exps.Sum();
        return exps.Select(e => e / sum).ToArray();
    }
}
