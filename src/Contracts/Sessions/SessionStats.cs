namespace Sawt.Contracts.Sessions;

/// <summary>How a session went, sent with <see cref="SessionCompleted"/>.</summary>
[GenerateSerializer, Immutable, Alias("sawt.session-stats")]
public sealed record SessionStats(
    [property: Id(0)] double TimeToFirstAudioMilliseconds,
    [property: Id(1)] double RealTimeFactor,
    [property: Id(2)] int SpeechTokens,
    [property: Id(3)] double AudioSeconds,
    [property: Id(4)] int Chunks,
    [property: Id(5)] int Segments);
