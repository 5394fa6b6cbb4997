namespace Sawt.Inference.Sampling;

/// <summary>
/// What one <see cref="AlignmentStreamAnalyzer.Step"/> asks of the current step's logits, plus its diagnostics
/// (model-contract.md 6.3). Apply it with <see cref="AlignmentStreamAnalyzer.ApplyToLogits"/>.
/// </summary>
/// <param name="ForcedStop">
/// <see cref="StopReason.None"/>, or the rule that forces STOP this step: <see cref="StopReason.LongTail"/>,
/// <see cref="StopReason.AlignmentRepetition"/> or <see cref="StopReason.TokenRepetition"/> (first of those that
/// fired, in that order).
/// </param>
/// <param name="SuppressStop">The STOP logit must be pushed to -32768: the newest row's argmax is below S - 3 and S &gt; 5.</param>
/// <param name="Position">Argmax text index of the newest alignment row (after the column zeroing).</param>
/// <param name="TextPosition">The tracked text position (only moves on continuous steps).</param>
/// <param name="Discontinuity">The newest row's argmax jumped outside (-4, 7) of the previous text position.</param>
/// <param name="Started">The false-start rule no longer holds (the value after this step).</param>
/// <param name="Complete">The text position has reached S - 3 at some step (sticky).</param>
public sealed record AlignmentDecision(
    StopReason ForcedStop,
    bool SuppressStop,
    int Position,
    int TextPosition,
    bool Discontinuity,
    bool Started,
    bool Complete)
{
    /// <summary>True when this step's logits must be replaced so that STOP is sampled.</summary>
    public bool ForcesStop => ForcedStop != StopReason.None;
}
