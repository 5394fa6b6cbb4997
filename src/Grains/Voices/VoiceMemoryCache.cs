using Microsoft.Extensions.Options;
using Sawt.Inference.Voices;

namespace Sawt.Grains.Voices;

/// <summary>
/// This silo's memory layer of the voice store, shared by its workers and its speaker grains: conditionals keyed by
/// (bundle identity, reference hash), least recently used dropped beyond <see cref="VoiceStoreOptions.MemoryEntries"/>.
/// When a voice is seen with a new reference hash (replaced), its older entries are dropped at once, so replaced voices
/// do not wait for eviction. Thread-safe; every operation is O(entries) at worst under one lock, entries are few.
/// </summary>
public sealed class VoiceMemoryCache(IOptions<VoiceStoreOptions> options)
{
    private readonly object _gate = new();
    private readonly Dictionary<(string Bundle, string Hash), LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = new();
    private readonly Dictionary<string, string> _latestHash = new(StringComparer.Ordinal);
    private readonly int _capacity = Math.Max(1, options.Value.MemoryEntries);

    /// <summary>Entries held now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public bool TryGet(string bundle, string hash, out VoiceConditionals voice)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue((bundle, hash), out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                voice = node.Value.Voice;
                return true;
            }
        }

        voice = null!;
        return false;
    }

    /// <summary>Keeps a voice's conditionals; drops the entries of its earlier reference hashes and the least recently used beyond capacity.</summary>
    public void Put(string voiceId, string bundle, string hash, VoiceConditionals voice)
    {
        lock (_gate)
        {
            if (_latestHash.TryGetValue(voiceId, out var previous) && previous != hash)
            {
                foreach (var stale in _recency.Where(e => e.Hash == previous).ToList())
                {
                    RemoveLocked(stale);
                }
            }

            if (_entries.TryGetValue((bundle, hash), out var existing))
            {
                RemoveLocked(existing.Value);
            }

            _latestHash[voiceId] = hash;
            _entries[(bundle, hash)] = _recency.AddFirst(new Entry(voiceId, bundle, hash, voice));
            while (_entries.Count > _capacity)
            {
                RemoveLocked(_recency.Last!.Value);
            }
        }
    }

    /// <summary>
    /// Drops a voice's entries except those of <paramref name="keepHash"/> (its current reference; null: all of them):
    /// how a replaced or deleted voice leaves every silo's memory.
    /// </summary>
    public void Forget(string voiceId, string? keepHash)
    {
        lock (_gate)
        {
            foreach (var stale in _recency.Where(e => e.VoiceId == voiceId && e.Hash != keepHash).ToList())
            {
                RemoveLocked(stale);
            }

            if (keepHash is null)
            {
                _latestHash.Remove(voiceId);
            }
        }
    }

    /// <summary>Drops everything (tests).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
            _recency.Clear();
            _latestHash.Clear();
        }
    }

    private void RemoveLocked(Entry entry)
    {
        if (_entries.Remove((entry.Bundle, entry.Hash), out var node))
        {
            _recency.Remove(node);
        }

        if (_latestHash.TryGetValue(entry.VoiceId, out var latest) && latest == entry.Hash && !_recency.Any(e => e.VoiceId == entry.VoiceId))
        {
            _latestHash.Remove(entry.VoiceId);
        }
    }

    private sealed record Entry(string VoiceId, string Bundle, string Hash, VoiceConditionals Voice);
}
