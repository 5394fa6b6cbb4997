namespace Sawt.Contracts.Voices;

/// <summary>
/// One silo's voice store counters since it started (the <c>Sawt.Voices</c> meter's totals), for tests and
/// diagnostics that need them across processes. Several workers on one silo report the same silo's numbers.
/// </summary>
/// <param name="Silo">The silo's endpoint, to count each silo once.</param>
/// <param name="Encodings">Voices the speaker grains on this silo computed.</param>
/// <param name="MemoryHits">Lookups served from this silo's memory layer.</param>
/// <param name="RedisHits">Lookups served from Redis.</param>
/// <param name="MemoryMisses">Lookups this silo's memory could not serve.</param>
/// <param name="RedisMisses">Lookups Redis answered without the entry.</param>
/// <param name="Outages">Times this silo found Redis unreachable after it was reachable.</param>
/// <param name="RejectedEntries">Stored entries refused (truncated, wrong magic or version, checksum) and recomputed.</param>
[GenerateSerializer, Immutable, Alias("sawt.voice-store-stats")]
public sealed record VoiceStoreStats(
    [property: Id(0)] string Silo,
    [property: Id(1)] long Encodings,
    [property: Id(2)] long MemoryHits,
    [property: Id(3)] long RedisHits,
    [property: Id(4)] long MemoryMisses,
    [property: Id(5)] long RedisMisses,
    [property: Id(6)] long Outages,
    [property: Id(7)] long RejectedEntries);
