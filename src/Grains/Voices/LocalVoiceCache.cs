using System.Collections.Concurrent;
using Sawt.Contracts.Sessions;
using Sawt.Contracts.Voices;
using Sawt.Inference;
using Sawt.Inference.Voices;

namespace Sawt.Grains.Voices;

/// <summary>
/// Per-silo cache of voice conditionals for the workers, so jobs carry a voice id and revision instead of ~300 KB of
/// conditionals. Entries are keyed by revision: a job for a revision this silo has not seen fetches it from the
/// voice's speaker grain, which is how a replaced voice reaches every silo. "default" comes from the local bundle.
/// </summary>
public sealed class LocalVoiceCache(IGrainFactory grains)
{
    private const int MaxEntries = 256;
    private readonly ConcurrentDictionary<(string VoiceId, string Revision), Task<VoiceConditionals>> _voices = new();

    public async Task<VoiceConditionals> GetAsync(string voiceId, string revision, TtsEngine engine)
    {
        if (voiceId == VoiceIds.Default)
        {
            return engine.DefaultVoice;
        }

        if (_voices.Count > MaxEntries)
        {
            _voices.Clear();
        }

        var key = (voiceId, revision);
        var pending = _voices.GetOrAdd(key, k => Fetch(k.VoiceId));
        try
        {
            return await pending.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SessionRejectedException or OrleansException)
        {
            // Never cache a failure: the voice may be enrolled a moment later.
            _voices.TryRemove(new KeyValuePair<(string, string), Task<VoiceConditionals>>(key, pending));
            throw;
        }
    }

    private async Task<VoiceConditionals> Fetch(string voiceId)
    {
        var voice = await grains.GetGrain<ISpeakerGrain>(voiceId).GetConditionals().ConfigureAwait(false);

        // Whatever revision was asked for, the speaker's current one is what its owner wants now; older revisions of
        // the voice are dropped so a replaced voice does not linger in memory.
        foreach (var stale in _voices.Keys.Where(k => k.VoiceId == voiceId && k.Revision != voice.Revision))
        {
            if (_voices.TryGetValue(stale, out var task) && task.IsCompleted)
            {
                _voices.TryRemove(stale, out _);
            }
        }

        return voice.Conditionals.ToConditionals();
    }
}
