using Sawt.Bench.Reporting;

namespace Sawt.Bench.Speculative;

/// <summary>The speculative bench's rows.</summary>
internal sealed record SpeculativeBenchReport(SpeculativeBenchSettings Settings, IReadOnlyList<SpeculativeRow> Rows);

/// <summary>
/// One draft agreement and batch size: ms per generated token plain and speculative (medians over runs), the draft
/// acceptance (accepted over verified drafts), tokens per target call and the mean draft length.
/// </summary>
internal sealed record SpeculativeRow(
    double Agreement,
    int Batch,
    Summary PlainMsPerToken,
    Summary SpeculativeMsPerToken,
    double Acceptance,
    double TokensPerTargetCall,
    double MeanDraftTokens,
    bool? SameTokens)
{
    public double SpeedUp => PlainMsPerToken.Median / SpeculativeMsPerToken.Median;
}
