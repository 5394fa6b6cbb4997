using System.Collections.Concurrent;
using Sawt.Contracts.Voices;
using Sawt.Inference;
using Sawt.Inference.Voices;

namespace Sawt.Grains.Voices;

/// <summary>
/// How a worker gets a voice's conditionals, so jobs carry a voice id and revision instead of ~300 KB of conditionals:
/// this silo's <see cref="VoiceMemoryCache"/> (keyed by the worker's bundle identity and the revision, which is the
/// reference's content hash), else the voice's speaker grain, which serves it from its silo's memory or Redis or
/// computes it (on the asking worker's device, so the bundle is the right one). Concurrent misses for one voice on a
/// silo share one call. "default" comes from the local bundle.
/// </summary>
public sealed class LocalVoiceCache(IGrainFactory grains, VoiceMemoryCache memory, VoiceInstruments instruments)
{
    private readonly ConcurrentDictionary<(string Bundle, string VoiceId, string Revision), Lazy<Task<VoiceConditionals>>> _pending = new();

    /// <summary>The conditionals of a voice for <paramref name="engine"/>'s bundle; <paramref name="workerKey"/> names the asking worker's device.</summary>
    public async Task<VoiceConditionals> GetAsync(string voiceId, string revision, TtsEngine engine, string workerKey)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if (voiceId == VoiceIds.Default)
        {
            return engine.DefaultVoice;
        }

        var bundle = engine.Bundle.Identity;
        if (memory.TryGet(bundle, revision, out var cached))
        {
            instruments.Hit(VoiceInstruments.MemoryLayer);
            return cached;
        }

        instruments.Miss(VoiceInstruments.MemoryLayer);
        var key = (bundle, voiceId, revision);
        var pending = _pending.GetOrAdd(key, k => new Lazy<Task<VoiceConditionals>>(() => FetchAsync(k.Bundle, k.VoiceId, workerKey)));
        try
        {
            return await pending.Value.ConfigureAwait(false);
        }
        finally
        {
            // Never keep a failure (the voice may be enrolled a moment later) nor a result: the memory layer holds those.
            _pending.TryRemove(new KeyValuePair<(string, string, string), Lazy<Task<VoiceConditionals>>>(key, pending));
        }
    }

    /// <summary>Drops a replaced (<paramref name="keepRevision"/> is its new one) or deleted (null) voice from this silo's memory.</summary>
    public void Forget(string voiceId, string? keepRevision) => memory.Forget(voiceId, keepRevision);

    private async Task<VoiceConditionals> FetchAsync(string bundle, string voiceId, string workerKey)
    {
        var voice = await grains.GetGrain<ISpeakerGrain>(voiceId).GetConditionalsFor(bundle, workerKey).ConfigureAwait(false);

        // Whatever revision was asked for, the speaker's current one is what its owner wants now; keyed by what came
        // back, so an older pinned revision never labels newer conditionals.
        var conditionals = voice.Conditionals.ToConditionals();
        memory.Put(voiceId, bundle, voice.Revision, conditionals);
        return conditionals;
    }
}
