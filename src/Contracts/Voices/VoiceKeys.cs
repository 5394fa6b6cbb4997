namespace Sawt.Contracts.Voices;

/// <summary>
/// Grain keys of voices, scoped by tenant: a tenant's voice <c>v</c> is the speaker grain <c>{tenant}/v</c>, so two
/// tenants may use the same voice id without seeing each other's voice. The open tenant (no API keys configured)
/// keeps bare voice ids, so voices enrolled before tenants existed keep their keys; <see cref="VoiceIds.Default"/>
/// is shared by every tenant and read-only.
/// </summary>
public static class VoiceKeys
{
    /// <summary>The single implicit tenant used when no API keys are configured.</summary>
    public const string OpenTenant = "";

    /// <summary>Separates the tenant from the voice id in a speaker grain key; neither may contain it.</summary>
    public const char Separator = '/';

    /// <summary>The catalog grain key of the open tenant (tenant ids cannot contain '~').</summary>
    private const string OpenCatalogKey = "~open";

    /// <summary>The speaker grain key of <paramref name="voiceId"/> in <paramref name="tenant"/>.</summary>
    public static string Speaker(string tenant, string voiceId)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentException.ThrowIfNullOrEmpty(voiceId);
        return tenant.Length == 0 || voiceId == VoiceIds.Default ? voiceId : $"{tenant}{Separator}{voiceId}";
    }

    /// <summary>The catalog grain key (<see cref="IVoiceCatalogGrain"/>) of <paramref name="tenant"/>.</summary>
    public static string Catalog(string tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return tenant.Length == 0 ? OpenCatalogKey : tenant;
    }

    /// <summary>Splits a speaker grain key into its tenant and the voice id the tenant knows it by.</summary>
    public static (string Tenant, string VoiceId) ParseSpeaker(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var separator = key.IndexOf(Separator, StringComparison.Ordinal);
        return separator < 0 ? (OpenTenant, key) : (key[..separator], key[(separator + 1)..]);
    }

    /// <summary>Whether <paramref name="tenant"/> is a valid tenant id: 1 to 64 of A-Z, a-z, 0-9, '_', '-', '.'.</summary>
    public static bool IsValidTenant(string? tenant) =>
        tenant is { Length: > 0 and <= 64 } && tenant.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
}
