using System.Globalization;

namespace Sawt.Inference.Sampling;

/// <summary>
/// Speculative decoding for one deployment (issue 9 item 3): a draft LM with the target's vocabulary proposes
/// tokens that the target verifies in one call; output is distributed exactly as without it.
/// </summary>
public sealed record SpeculativeOptions
{
    public const string SectionName = "Sawt:Speculative";

    /// <summary>Largest accepted <see cref="MaxDraftTokens"/>; the verify call spans k + 1 positions.</summary>
    public const int MaxDraftTokensLimit = 16;

    /// <summary>Off by default: a deployment switches it on when it has a draft model.</summary>
    public bool Enabled { get; init; }

    /// <summary>Most tokens drafted per round (k); [<see cref="MinDraftTokens"/>, <see cref="MaxDraftTokensLimit"/>].</summary>
    public int MaxDraftTokens { get; init; } = 4;

    /// <summary>Fewest tokens drafted per round, however poor the acceptance; at least 1.</summary>
    public int MinDraftTokens { get; init; } = 1;

    /// <summary>
    /// Cost of one draft step over one target verify call (c); [0, 1]. The default guesses a quantised copy of the
    /// target on a memory-bound device; measure it for the deployment.
    /// </summary>
    public double DraftCostRatio { get; init; } = 0.3;

    /// <summary>Per-token acceptance assumed before any round is observed; [0, 1].</summary>
    public double InitialAcceptanceRate { get; init; } = 0.7;

    /// <summary>
    /// Weight each round's past keeps when a new round is observed (exponential smoothing); [0, 1). 0.9 makes the
    /// estimate follow roughly the last ten rounds.
    /// </summary>
    public double AcceptanceDecay { get; init; } = 0.9;

    /// <summary>
    /// Throws <see cref="InferenceException"/> with <see cref="InferenceErrorCode.InvalidOptions"/> naming the
    /// first setting that is out of range.
    /// </summary>
    public void Validate()
    {
        if (MinDraftTokens < 1)
        {
            throw Invalid($"MinDraftTokens must be at least 1; got {MinDraftTokens}.");
        }

        if (MaxDraftTokens < MinDraftTokens || MaxDraftTokens > MaxDraftTokensLimit)
        {
            throw Invalid($"MaxDraftTokens must be between MinDraftTokens ({MinDraftTokens}) and {MaxDraftTokensLimit}; got {MaxDraftTokens}.");
        }

        if (!(DraftCostRatio >= 0 && DraftCostRatio <= 1))
        {
            throw Invalid($"DraftCostRatio must be between 0 and 1; got {DraftCostRatio}.");
        }

        if (!(InitialAcceptanceRate >= 0 && InitialAcceptanceRate <= 1))
        {
            throw Invalid($"InitialAcceptanceRate must be between 0 and 1; got {InitialAcceptanceRate}.");
        }

        if (!(AcceptanceDecay >= 0 && AcceptanceDecay < 1))
        {
            throw Invalid($"AcceptanceDecay must be at least 0 and below 1; got {AcceptanceDecay}.");
        }
    }

    private static InferenceException Invalid(FormattableString message) =>
        new(InferenceErrorCode.InvalidOptions, message.ToString(CultureInfo.InvariantCulture));
}
