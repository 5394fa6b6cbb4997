namespace Sawt.Bench.Reporting;

/// <summary>Median and 90th percentile of repeated measurements (linear interpolation between ranks).</summary>
internal readonly record struct Summary(double Median, double P90, int Count)
{
    public static Summary From(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return sorted.Length == 0
            ? throw new ArgumentException("No samples to summarise.", nameof(samples))
            : new Summary(Percentile(sorted, 0.5), Percentile(sorted, 0.9), sorted.Length);
    }

    private static double Percentile(double[] sorted, double quantile)
    {
        var rank = quantile * (sorted.Length - 1);
        var lower = (int)Math.Floor(rank);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((rank - lower) * (sorted[upper] - sorted[lower]));
    }
}
