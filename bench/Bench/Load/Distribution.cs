namespace Sawt.Bench.Load;

/// <summary>
/// Percentiles of a load run's samples (linear interpolation between ranks, as <see cref="Reporting.Summary"/>), with
/// the mean and maximum. No samples: count 0 and NaN everywhere (a run in which nothing completed has no latency).
/// </summary>
internal sealed record Distribution(int Count, double P50, double P95, double P99, double Mean, double Max)
{
    public static Distribution Empty { get; } = new(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    public static Distribution From(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return sorted.Length == 0
            ? Empty
            : new Distribution(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.95), Percentile(sorted, 0.99), sorted.Average(), sorted[^1]);
    }

    /// <summary>The <paramref name="quantile"/> (0 to 1) of ascending <paramref name="sorted"/>: rank q(n-1), interpolated.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double quantile)
    {
        ArgumentOutOfRangeException.ThrowIfZero(sorted.Count);
        var rank = Math.Clamp(quantile, 0, 1) * (sorted.Count - 1);
        var lower = (int)Math.Floor(rank);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + ((rank - lower) * (sorted[upper] - sorted[lower]));
    }
}
