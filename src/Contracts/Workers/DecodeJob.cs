namespace Sawt.Contracts.Workers;

/// <summary>Decode a window of speech tokens (all below 6561) for a voice revision; the result covers exactly these tokens.</summary>
[GenerateSerializer, Immutable, Alias("sawt.decode-job")]
public sealed record DecodeJob([property: Id(0)] string VoiceId, [property: Id(1)] long[] Tokens, [property: Id(2)] string VoiceRevision);
