namespace Sawt.Contracts.Operations;

/// <summary>How one session ended, as the dashboard counts it.</summary>
/// <param name="TimeToFirstAudioMilliseconds">From start to the first audio chunk; null when none was produced.</param>
/// <param name="ErrorCode">The public error code of a failed session; null when it completed or the client cancelled it.</param>
[GenerateSerializer, Immutable, Alias("sawt.session-outcome")]
public sealed record SessionOutcome(
    [property: Id(0)] double? TimeToFirstAudioMilliseconds,
    [property: Id(1)] string? ErrorCode);
