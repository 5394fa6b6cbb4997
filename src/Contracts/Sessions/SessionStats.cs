namespace Sawt.Contracts.Sessions;

/// <summary>How a session went, sent with <see cref="SessionCompleted"/>.</summary>
[GenerateSerializer, Immutable, Alias("sawt.session-stats")]
public sealed record SessionStats(
    [property: Id(0)] double TimeToFirstAudioMilliseconds,
    [property: Id(1)] double RealTimeFactor,
    [property: Id(2)] int SpeechTokens,
    [property: Id(3)] double AudioSeconds,
    [property: Id(4)] int Chunks,
    [property: Id(5)] int Segments)
{
    /// <summary>
    /// Why generation ended (<c>end_of_speech</c>, or the first segment a guard or the cap cut short: <c>long_tail</c>,
    /// <c>alignment_repetition</c>, <c>token_repetition</c>, <c>step_cap</c>); null when unknown.
    /// </summary>
    [Id(6)] public string? StopReason { get; init; }

    /// <summary>What the alignment guard saw without stopping (<c>false_start</c>, <c>discontinuity</c>); null for none.</summary>
    [Id(7)] public string[]? AlignmentWarnings { get; init; }
}
