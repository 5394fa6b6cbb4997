using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Sawt.Contracts.Voices;

namespace Sawt.Gateway.Auth;

/// <summary>
/// The configured API keys, by the SHA-256 of each key (so a lookup's timing says nothing about a key's characters),
/// and the tenant each maps to. <see cref="IsOpen"/> when none are configured.
/// </summary>
internal sealed class ApiKeys
{
    private readonly Dictionary<string, string> _tenantsByKeyHash;

    public ApiKeys(IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _tenantsByKeyHash = options.Value.Keys.ToDictionary(k => Hash(k.Key), k => k.Tenant, StringComparer.Ordinal);
        TenantCount = options.Value.Keys.Select(k => k.Tenant).Distinct(StringComparer.Ordinal).Count();
    }

    /// <summary>True when no keys are configured: every request is served as <see cref="VoiceKeys.OpenTenant"/>.</summary>
    public bool IsOpen => _tenantsByKeyHash.Count == 0;

    public int KeyCount => _tenantsByKeyHash.Count;

    public int TenantCount { get; }

    /// <summary>The tenant of <paramref name="key"/>, or false when it is not a configured key.</summary>
    public bool TryGetTenant(string key, out string tenant)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_tenantsByKeyHash.TryGetValue(Hash(key), out var found))
        {
            tenant = found;
            return true;
        }

        tenant = string.Empty;
        return false;
    }

    private static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
