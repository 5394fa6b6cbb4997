using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Sawt.Contracts.Voices;

namespace Sawt.Gateway.Auth;

/// <summary>
/// The configured API keys, by the SHA-256 of each key (so a lookup's timing says nothing about a key's characters),
/// and the tenant and limits of each (<see cref="ApiKey"/>). <see cref="IsOpen"/> when none are configured.
/// </summary>
internal sealed class ApiKeys
{
    private readonly Dictionary<string, ApiKey> _keysByHash;

    public ApiKeys(IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var auth = options.Value;
        _keysByHash = auth.Keys
            .Select((k, index) => (Hash: Hash(k.Key), Key: new ApiKey(
                index,
                k.Tenant,
                k.RequestsPerMinute ?? auth.RequestsPerMinute,
                k.MaxConcurrentContexts ?? auth.MaxConcurrentContexts)))
            .ToDictionary(k => k.Hash, k => k.Key, StringComparer.Ordinal);
        TenantCount = auth.Keys.Select(k => k.Tenant).Distinct(StringComparer.Ordinal).Count();
    }

    /// <summary>True when no keys are configured: every request is served as <see cref="VoiceKeys.OpenTenant"/>.</summary>
    public bool IsOpen => _keysByHash.Count == 0;

    public int KeyCount => _keysByHash.Count;

    public int TenantCount { get; }

    /// <summary>The configured entry of <paramref name="key"/>, or false when it is not a configured key.</summary>
    public bool TryGetKey(string key, [NotNullWhen(true)] out ApiKey? apiKey)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _keysByHash.TryGetValue(Hash(key), out apiKey);
    }

    private static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
