namespace Sawt.Inference.Tests.Sampling;

/// <summary>
/// Pearson's chi-square goodness of fit at the 1e-4 level, for the speculative-sampling tests. Bins whose expected
/// count is below <see cref="MinimumExpected"/> are pooled into one (the chi-square approximation needs it); a count
/// in a bin of probability 0 is an outright rejection. The critical value is Wilson-Hilferty's
/// (<see cref="Statistics.ChiSquareCritical"/>), so a correct sampler fails about 1 in 10 000 seeds; the seeds are
/// fixed, so a run is deterministic anyway.
/// </summary>
internal sealed record GoodnessOfFit(double Statistic, int DegreesOfFreedom, double Critical)
{
    public const double MinimumExpected = 5;

    public bool Rejects => Statistic > Critical;

    public static GoodnessOfFit Test(IReadOnlyList<int> counts, IReadOnlyList<double> probabilities)
    {
        var total = counts.Sum();
        var bins = Bins(probabilities, total);
        var statistic = 0.0;
        foreach (var bin in bins)
        {
            var observed = bin.Ids.Sum(id => counts[id]);
            if (bin.Probability <= 0)
            {
                statistic += observed > 0 ? double.PositiveInfinity : 0;
                continue;
            }

            var expected = total * bin.Probability;
            statistic += (observed - expected) * (observed - expected) / expected;
        }

        var degrees = Math.Max(1, bins.Count(b => b.Probability > 0) - 1);
        return new GoodnessOfFit(statistic, degrees, Statistics.ChiSquareCritical(degrees));
    }

    /// <summary>
    /// Probability that <see cref="Test"/> over <paramref name="draws"/> draws rejects a sampler whose true output is
    /// <paramref name="alternative"/> instead of <paramref name="probabilities"/>. Two lower bounds, the larger
    /// taken: any alternative mass m on ids of probability 0 is seen at least once with 1 - (1 - m)^N; otherwise the
    /// statistic is about noncentral chi-square with lambda = N sum (r - p)^2 / p over the same bins, whose lower tail
    /// is lighter than the normal with its mean df + lambda and variance 2 (df + 2 lambda), so the normal
    /// approximation understates the power.
    /// </summary>
    public static double Power(IReadOnlyList<double> probabilities, IReadOnlyList<double> alternative, int draws)
    {
        var bins = Bins(probabilities, draws);
        var impossibleMass = 0.0;
        var lambda = 0.0;
        foreach (var bin in bins)
        {
            var r = bin.Ids.Sum(id => alternative[id]);
            if (bin.Probability <= 0)
            {
                impossibleMass += r;
                continue;
            }

            lambda += draws * (r - bin.Probability) * (r - bin.Probability) / bin.Probability;
        }

        var degrees = Math.Max(1, bins.Count(b => b.Probability > 0) - 1);
        var z = (degrees + lambda - Statistics.ChiSquareCritical(degrees)) / Math.Sqrt(2 * (degrees + (2 * lambda)));
        var seenImpossible = 1 - Math.Pow(1 - Math.Min(1, impossibleMass), draws);
        return Math.Max(NormalCdf(z), seenImpossible);
    }

    public override string ToString() => $"chi2 {Statistic:0.00} on {DegreesOfFreedom} df, critical {Critical:0.00}";

    /// <summary>Bins over ids: each id expected at least the minimum alone, the rest pooled, probability-0 ids apart.</summary>
    private static List<(int[] Ids, double Probability)> Bins(IReadOnlyList<double> probabilities, int total)
    {
        var bins = new List<(int[] Ids, double Probability)>();
        var pooled = new List<int>();
        var zero = new List<int>();
        for (var id = 0; id < probabilities.Count; id++)
        {
            var p = probabilities[id];
            if (p <= 0)
            {
                zero.Add(id);
            }
            else if (p * total >= MinimumExpected)
            {
                bins.Add(([id], p));
            }
            else
            {
                pooled.Add(id);
            }
        }

        if (pooled.Count > 0)
        {
            bins.Add((pooled.ToArray(), pooled.Sum(id => probabilities[id])));
        }

        bins.Add((zero.ToArray(), 0));
        return bins;
    }

    /// <summary>Standard normal CDF via Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7).</summary>
    private static double NormalCdf(double z)
    {
        var x = Math.Abs(z) / Math.Sqrt(2);
        var t = 1 / (1 + (0.3275911 * x));
        var poly = t * (0.254829592 + (t * (-0.284496736 + (t * (1.421413741 + (t * (-1.453152027 + (t * 1.061405429))))))));
        var erf = 1 - (poly * Math.Exp(-x * x));
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
