using System.Collections.Concurrent;
using Sawt.Contracts.Sessions;
using Sawt.Contracts.Voices;
using Sawt.Inference;
using Sawt.Inference.Voices;

namespace Sawt.Grains.Voices;

/// <summary>
/// Per-silo cache of voice conditionals for the workers, so jobs carry a voice id instead of ~300 KB of
/// conditionals. Misses ask the voice's speaker grain; "default" comes from the local engine's bundle.
/// </summary>
public sealed class LocalVoiceCache(IGrainFactory grains)
{
    private const int MaxEntries = 256;
    private readonly ConcurrentDictionary<string, Task<VoiceConditionals>> _voices = new(StringComparer.Ordinal);

    public async Task<VoiceConditionals> GetAsync(string voiceId, TtsEngine engine)
    {
        if (voiceId == VoiceIds.Default)
        {
            return engine.DefaultVoice;
        }

        if (_voices.Count > MaxEntries)
        {
            _voices.Clear();
        }

        var pending = _voices.GetOrAdd(voiceId, id => Fetch(id));
        try
        {
            return await pending.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SessionRejectedException or OrleansException)
        {
            // Never cache a failure: the voice may be enrolled a moment later.
            _voices.TryRemove(new KeyValuePair<string, Task<VoiceConditionals>>(voiceId, pending));
            throw;
        }
    }

    /// <summary>Forgets a voice (re-enrolled).</summary>
    public void Invalidate(string voiceId) => _voices.TryRemove(voiceId, out _);

    private async Task<VoiceConditionals> Fetch(string voiceId)
    {
        var payload = await grains.GetGrain<ISpeakerGrain>(voiceId).GetConditionals().ConfigureAwait(false);
        return payload.ToConditionals();
    }
}
