namespace Sawt.Grains.Voices;

/// <summary>The voice store (section <c>Sawt:Voices:Store</c>): a per-silo memory layer, and Redis when configured.</summary>
public sealed class VoiceStoreOptions
{
    public const string SectionName = "Sawt:Voices:Store";

    /// <summary>Prefix of every voice entry's Redis key; the rest is <c>{bundle identity}:{reference hash}</c>.</summary>
    public string KeyPrefix { get; set; } = "sawt:voice:";

    /// <summary>
    /// Bound on one Redis read or write. Short: past it the store counts as unreachable and the voice is computed, so
    /// an outage costs a synthesis at most this much once, then nothing (calls fail fast while disconnected).
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an entry stays in Redis after it was written; entries of deleted voices expire.</summary>
    public TimeSpan EntryTimeToLive { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Most voices kept in each silo's memory (about 300 KB each with the multilingual model).</summary>
    public int MemoryEntries { get; set; } = 256;
}
