using System.Globalization;

namespace Sawt.Inference.Sampling;

/// <summary>
/// Per-request sampling settings for T3 generation. Defaults are the reference values of model-contract.md 6.1
/// (repetition penalty as in the current upstream code, 1.2); the filters left null take the bundle layout's own
/// defaults (<see cref="SamplingOrder"/>: min-p 0.05 and top-p 1 for multilingual, top-k 1000 and top-p 0.95 for Turbo),
/// so callers need not know the layout.
/// </summary>
public sealed record SamplingOptions
{
    /// <summary>Largest accepted <see cref="MaxNewTokens"/>; the speech position table holds 4100.</summary>
    public const int MaxNewTokensLimit = 4096;

    /// <summary>Largest accepted <see cref="CfgWeight"/>.</summary>
    public const float MaxCfgWeight = 10f;

    /// <summary>Largest accepted <see cref="Exaggeration"/>.</summary>
    public const float MaxExaggeration = 3f;

    /// <summary>Logits are divided by this; finite and at least 0, where 0 means greedy (argmax after the repetition penalty).</summary>
    public float Temperature { get; init; } = 0.8f;

    /// <summary>
    /// Drop tokens whose probability is below MinP x the top probability; 0 disables; [0, 1); null is the layout's
    /// default (0.05 multilingual; Turbo has no min-p step and ignores it).
    /// </summary>
    public float? MinP { get; init; }

    /// <summary>Nucleus size as cumulative probability; 1 disables; (0, 1]; null is the layout's default (1 multilingual, 0.95 Turbo).</summary>
    public float? TopP { get; init; }

    /// <summary>
    /// Keep only the TopK most likely tokens; 0 disables; null is the layout's default (1000 Turbo). The multilingual
    /// order has no top-k step and ignores it.
    /// </summary>
    public int? TopK { get; init; }

    /// <summary>Penalty for every distinct token already in the history; 1 disables; at least 1.</summary>
    public float RepetitionPenalty { get; init; } = 1.2f;

    /// <summary>Classifier-free guidance weight w in cond + w (cond - uncond); 0 disables; [0, 10].</summary>
    public float CfgWeight { get; init; } = 0.5f;

    /// <summary>Emotion exaggeration fed to the model; [0, 3] (reference UI range 0.25 to 2).</summary>
    public float Exaggeration { get; init; } = 0.5f;

    /// <summary>RNG seed for reproducible output; null draws a fresh random seed.</summary>
    public ulong? Seed { get; init; }

    /// <summary>Upper bound on generated speech tokens; [1, <see cref="MaxNewTokensLimit"/>].</summary>
    public int MaxNewTokens { get; init; } = 1000;

    /// <summary>
    /// Throws <see cref="InferenceException"/> with <see cref="InferenceErrorCode.InvalidOptions"/> naming the
    /// first setting that is out of range.
    /// </summary>
    public void Validate()
    {
        if (!float.IsFinite(Temperature) || Temperature < 0f)
        {
            throw Invalid($"temperature must be 0 (greedy) or a finite number above 0; got {Temperature}.");
        }

        if (MinP is { } minP && !(minP >= 0f && minP < 1f))
        {
            throw Invalid($"min_p must be at least 0 and below 1; got {minP}.");
        }

        if (TopP is { } topP && !(topP > 0f && topP <= 1f))
        {
            throw Invalid($"top_p must be above 0 and at most 1; got {topP}.");
        }

        if (TopK is < 0)
        {
            throw Invalid($"top_k must be 0 (off) or a positive count; got {TopK}.");
        }

        if (!float.IsFinite(RepetitionPenalty) || RepetitionPenalty < 1f)
        {
            throw Invalid($"repetition_penalty must be a finite number of at least 1; got {RepetitionPenalty}.");
        }

        if (!(CfgWeight >= 0f && CfgWeight <= MaxCfgWeight))
        {
            throw Invalid($"cfg_weight must be between 0 and {MaxCfgWeight}; got {CfgWeight}.");
        }

        if (!(Exaggeration >= 0f && Exaggeration <= MaxExaggeration))
        {
            throw Invalid($"exaggeration must be between 0 and {MaxExaggeration}; got {Exaggeration}.");
        }

        if (MaxNewTokens is < 1 or > MaxNewTokensLimit)
        {
            throw Invalid($"max_new_tokens must be between 1 and {MaxNewTokensLimit}; got {MaxNewTokens}.");
        }
    }

    private static InferenceException Invalid(FormattableString message) =>
        new(InferenceErrorCode.InvalidOptions, message.ToString(CultureInfo.InvariantCulture));
}
