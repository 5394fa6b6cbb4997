namespace Sawt.Contracts.Voices;

/// <summary>
/// The index of one tenant's enrolled voices (keyed by <see cref="VoiceKeys.Catalog"/>), kept in the voices grain
/// storage so it outlives silos when that storage is Redis. Speaker grains update it on enrol, replace and delete;
/// the voices API lists from it. The default voice is not in it (every tenant has that one).
/// </summary>
[Alias("sawt.IVoiceCatalogGrain")]
public interface IVoiceCatalogGrain : IGrainWithStringKey
{
    /// <summary>Adds a voice, or replaces the entry of the same voice id.</summary>
    [Alias("Upsert")]
    Task Upsert(VoiceInfo voice);

    /// <summary>Removes a voice; nothing happens when it is not listed.</summary>
    [Alias("Remove")]
    Task Remove(string voiceId);

    /// <summary>Up to <paramref name="limit"/> voices whose ids sort after <paramref name="after"/> (all when null).</summary>
    [Alias("List")]
    Task<VoicePage> List(string? after, int limit);
}
