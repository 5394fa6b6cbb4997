namespace Sawt.Contracts.Operations;

/// <summary>Sessions ended in a span of time: time to first audio percentiles and errors.</summary>
/// <param name="Start">UTC start of the span.</param>
/// <param name="Sessions">Sessions that ended in it.</param>
/// <param name="Errors">Of those, the failed ones.</param>
/// <param name="P50Milliseconds">Median time to first audio (0 without samples).</param>
/// <param name="P95Milliseconds">95th percentile.</param>
/// <param name="P99Milliseconds">99th percentile.</param>
[GenerateSerializer, Immutable, Alias("sawt.latency-summary")]
public sealed record LatencySummary(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] int Sessions,
    [property: Id(2)] int Errors,
    [property: Id(3)] double P50Milliseconds,
    [property: Id(4)] double P95Milliseconds,
    [property: Id(5)] double P99Milliseconds)
{
    /// <summary>Failed share of the sessions (0 when none ended).</summary>
    public double ErrorRate => Sessions == 0 ? 0 : (double)Errors / Sessions;
}
