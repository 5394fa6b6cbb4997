using System.Diagnostics.Metrics;
using Sawt.Contracts.Voices;
using Sawt.Inference.Voices;

namespace Sawt.Grains.Voices;

/// <summary>
/// The voice store's counters, on the <see cref="MeterName"/> meter (Prometheus names: <c>sawt_voice_encodings_total</c>,
/// <c>sawt_voice_store_hits_total{layer}</c>, <c>sawt_voice_store_misses_total{layer}</c>,
/// <c>sawt_voice_store_outages_total</c>, <c>sawt_voice_store_rejected_entries_total{reason}</c>). The same counts are
/// kept per silo as totals, so a test (or a diagnostic endpoint) reads this silo's numbers without a listener.
/// </summary>
public sealed class VoiceInstruments
{
    public const string MeterName = "Sawt.Voices";
    public const string Encodings = "sawt.voice.encodings";
    public const string StoreHits = "sawt.voice.store.hits";
    public const string StoreMisses = "sawt.voice.store.misses";
    public const string StoreOutages = "sawt.voice.store.outages";
    public const string RejectedEntries = "sawt.voice.store.rejected_entries";

    /// <summary>Layer tag value: a silo's memory.</summary>
    public const string MemoryLayer = "memory";

    /// <summary>Layer tag value: the shared Redis store.</summary>
    public const string RedisLayer = "redis";

    private readonly Counter<long> _encodings;
    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _outages;
    private readonly Counter<long> _rejected;
    private long _encodingCount;
    private long _memoryHits;
    private long _redisHits;
    private long _memoryMisses;
    private long _redisMisses;
    private long _outageCount;
    private long _rejectedCount;

    public VoiceInstruments(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _encodings = meter.CreateCounter<long>(Encodings, description: "Voices computed by the speech encoder (speaker grains on this silo).");
        _hits = meter.CreateCounter<long>(StoreHits, description: "Voice lookups served by a store layer.");
        _misses = meter.CreateCounter<long>(StoreMisses, description: "Voice lookups a store layer could not serve.");
        _outages = meter.CreateCounter<long>(StoreOutages, description: "Times the Redis voice store became unreachable.");
        _rejected = meter.CreateCounter<long>(RejectedEntries, description: "Stored voice entries refused (checksum, version, truncation) and recomputed.");
    }

    /// <summary>Voices this silo computed.</summary>
    public long EncodingCount => Interlocked.Read(ref _encodingCount);

    /// <summary>Lookups this silo served from its memory.</summary>
    public long MemoryHits => Interlocked.Read(ref _memoryHits);

    /// <summary>Lookups this silo served from Redis.</summary>
    public long RedisHits => Interlocked.Read(ref _redisHits);

    /// <summary>Lookups this silo's memory could not serve.</summary>
    public long MemoryMisses => Interlocked.Read(ref _memoryMisses);

    /// <summary>Lookups Redis answered without the entry.</summary>
    public long RedisMisses => Interlocked.Read(ref _redisMisses);

    /// <summary>Times this silo found Redis unreachable after it was reachable (or at its first use).</summary>
    public long OutageCount => Interlocked.Read(ref _outageCount);

    /// <summary>Entries this silo refused.</summary>
    public long RejectedCount => Interlocked.Read(ref _rejectedCount);

    /// <summary>The totals as a grain can return them.</summary>
    public VoiceStoreStats Snapshot(string silo) =>
        new(silo, EncodingCount, MemoryHits, RedisHits, MemoryMisses, RedisMisses, OutageCount, RejectedCount);

    internal void Encoded()
    {
        Interlocked.Increment(ref _encodingCount);
        _encodings.Add(1);
    }

    internal void Hit(string layer)
    {
        Interlocked.Increment(ref layer == RedisLayer ? ref _redisHits : ref _memoryHits);
        _hits.Add(1, new KeyValuePair<string, object?>("layer", layer));
    }

    internal void Miss(string layer)
    {
        Interlocked.Increment(ref layer == RedisLayer ? ref _redisMisses : ref _memoryMisses);
        _misses.Add(1, new KeyValuePair<string, object?>("layer", layer));
    }

    internal void Outage()
    {
        Interlocked.Increment(ref _outageCount);
        _outages.Add(1);
    }

    internal void Rejected(VoiceEntryRejection reason)
    {
        Interlocked.Increment(ref _rejectedCount);
        _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason.ToString()));
    }
}
