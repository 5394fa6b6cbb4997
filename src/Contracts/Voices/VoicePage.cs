namespace Sawt.Contracts.Voices;

/// <summary>One page of a tenant's voices, ordered by voice id (ordinal).</summary>
/// <param name="Voices">At most the requested number of voices.</param>
/// <param name="HasMore">True when voices after the last one on this page exist; ask again with its id as cursor.</param>
[GenerateSerializer, Immutable, Alias("sawt.voice-page")]
public sealed record VoicePage([property: Id(0)] VoiceInfo[] Voices, [property: Id(1)] bool HasMore);
