namespace Sawt.Bench.Engine;

/// <summary>
/// The engine's decode step against the raw loop at one batch size (medians). Overhead is what the engine adds per
/// step around the same LM work: embedding, cache handling, sampling, bookkeeping.
/// </summary>
internal sealed record EngineOverhead(int Batch, double EngineMillisecondsPerStep, double RawMillisecondsPerStep, double EngineMillisecondsPerToken, double RawMillisecondsPerToken)
{
    public double OverheadMillisecondsPerStep => EngineMillisecondsPerStep - RawMillisecondsPerStep;

    /// <summary>Engine time per token over the raw loop's; 1.10 is the goal at one sequence.</summary>
    public double TimePerTokenRatio => RawMillisecondsPerToken > 0 ? EngineMillisecondsPerToken / RawMillisecondsPerToken : double.NaN;

    /// <summary>One entry per batch size measured both ways, in the engine's order.</summary>
    public static IReadOnlyList<EngineOverhead> Pair(IReadOnlyList<DecodeMeasurement> engine, IReadOnlyList<RawLoopMeasurement> raw) =>
        [.. engine.Select(e => (Engine: e, Raw: raw.FirstOrDefault(r => r.Batch == e.Batch)))
            .Where(p => p.Raw is not null)
            .Select(p => new EngineOverhead(
                p.Engine.Batch,
                p.Engine.MillisecondsPerStep.Median,
                p.Raw!.MillisecondsPerStep.Median,
                p.Engine.MillisecondsPerToken.Median,
                p.Raw.MillisecondsPerToken.Median))];
}
