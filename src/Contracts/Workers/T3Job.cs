using Sawt.Contracts.Sessions;

namespace Sawt.Contracts.Workers;

/// <summary>Generate speech tokens for one sentence or segment, in the voice revision the session pinned at start.</summary>
[GenerateSerializer, Immutable, Alias("sawt.t3-job")]
public sealed record T3Job(
    [property: Id(0)] string Text,
    [property: Id(1)] string Language,
    [property: Id(2)] string VoiceId,
    [property: Id(3)] SamplingSettings Sampling,
    [property: Id(4)] string VoiceRevision);
