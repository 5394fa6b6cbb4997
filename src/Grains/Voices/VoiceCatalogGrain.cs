using Orleans.Storage;
using Sawt.Contracts.Voices;

namespace Sawt.Grains.Voices;

/// <summary>
/// One tenant's voice index (see <see cref="IVoiceCatalogGrain"/>), persisted in the voices grain storage. Speaker
/// grains are its only writers; listing reads a sorted copy, so pages are stable while voices change.
/// </summary>
internal sealed class VoiceCatalogGrain(
    [PersistentState("catalog", SpeakerGrain.StorageName)] IPersistentState<VoiceCatalogGrain.CatalogState> state) : Grain, IVoiceCatalogGrain
{
    /// <summary>Most voices one page returns, whatever the caller asks for.</summary>
    public const int MaxPageSize = 100;

    public Task Upsert(VoiceInfo voice)
    {
        ArgumentNullException.ThrowIfNull(voice);
        return ChangeAsync(voices =>
        {
            voices[voice.VoiceId] = voice;
            return true;
        });
    }

    public Task Remove(string voiceId) => ChangeAsync(voices => voices.Remove(voiceId));

    /// <summary>
    /// Applies a change and writes it. Another activation may have written meanwhile (a silo that restarted can leave
    /// two for a moment); then the stored list is read again and the change applied to it, so neither write is lost.
    /// </summary>
    private async Task ChangeAsync(Func<Dictionary<string, VoiceInfo>, bool> change)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (!change(state.State.Voices))
            {
                return;
            }

            try
            {
                await state.WriteStateAsync();
                return;
            }
            catch (InconsistentStateException) when (attempt < 3)
            {
                await state.ReadStateAsync();
            }
        }
    }

    public Task<VoicePage> List(string? after, int limit)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        var voices = state.State.Voices.Values
            .Where(v => after is null || string.CompareOrdinal(v.VoiceId, after) > 0)
            .OrderBy(v => v.VoiceId, StringComparer.Ordinal)
            .Take(limit + 1)
            .ToArray();
        return Task.FromResult(voices.Length > limit ? new VoicePage(voices[..limit], HasMore: true) : new VoicePage(voices, HasMore: false));
    }

    /// <summary>What the voices storage keeps per tenant: its voices by id.</summary>
    [GenerateSerializer, Alias("sawt.voice-catalog-state")]
    internal sealed class CatalogState
    {
        [Id(0)] public Dictionary<string, VoiceInfo> Voices { get; init; } = new(StringComparer.Ordinal);
    }
}
