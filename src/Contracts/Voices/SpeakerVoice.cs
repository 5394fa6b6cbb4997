namespace Sawt.Contracts.Voices;

/// <summary>A voice's conditionals with the revision they belong to.</summary>
/// <param name="Revision">
/// Changes whenever the voice is enrolled with different audio; caches key conditionals by voice id and revision,
/// so a replaced voice is never served from a stale entry.
/// </param>
/// <param name="Conditionals">The speech encoder's outputs for the voice.</param>
[GenerateSerializer, Immutable, Alias("sawt.speaker-voice")]
public sealed record SpeakerVoice([property: Id(0)] string Revision, [property: Id(1)] VoiceConditionalsPayload Conditionals);
