using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Sawt.Gateway.Auth;

/// <summary>
/// The configured operator keys, by the SHA-256 of each (as <see cref="ApiKeys"/> keeps tenant keys). The operator
/// pages are open only when no key of either kind is configured.
/// </summary>
internal sealed class OperatorKeys
{
    private readonly HashSet<string> _hashes;

    public OperatorKeys(IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _hashes = options.Value.OperatorKeys.Select(Hash).ToHashSet(StringComparer.Ordinal);
        IsOpen = _hashes.Count == 0 && options.Value.Keys.Count == 0;
    }

    /// <summary>True when no keys of any kind are configured (a development cluster): the operator pages are open.</summary>
    public bool IsOpen { get; }

    public bool IsOperator(string key) => _hashes.Contains(Hash(key));

    private static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
