namespace Sawt.Inference.Sampling;

/// <summary>
/// The stable wire names of <see cref="StopReason"/> and <see cref="AlignmentWarnings"/> (snake_case), as the gateway
/// reports them in <c>done</c> and the HTTP headers (docs/protocol.md). Renaming one breaks clients.
/// </summary>
public static class StopReasonNames
{
    public const string EndOfSpeech = "end_of_speech";
    public const string StepCap = "step_cap";
    public const string TokenRepetition = "token_repetition";
    public const string LongTail = "long_tail";
    public const string AlignmentRepetition = "alignment_repetition";
    public const string Cancelled = "cancelled";
    public const string FalseStart = "false_start";
    public const string Discontinuity = "discontinuity";

    /// <summary>The wire name of <paramref name="reason"/>; null for <see cref="StopReason.None"/>.</summary>
    public static string? Of(StopReason reason) => reason switch
    {
        StopReason.EndOfSpeech => EndOfSpeech,
        StopReason.StepCap => StepCap,
        StopReason.TokenRepetition => TokenRepetition,
        StopReason.LongTail => LongTail,
        StopReason.AlignmentRepetition => AlignmentRepetition,
        StopReason.Cancelled => Cancelled,
        _ => null,
    };

    /// <summary>The wire names of the warnings set in <paramref name="warnings"/>, in a fixed order; empty for none.</summary>
    public static string[] Of(AlignmentWarnings warnings)
    {
        var names = new List<string>(2);
        if (warnings.HasFlag(AlignmentWarnings.FalseStart))
        {
            names.Add(FalseStart);
        }

        if (warnings.HasFlag(AlignmentWarnings.Discontinuity))
        {
            names.Add(Discontinuity);
        }

        return [.. names];
    }
}
