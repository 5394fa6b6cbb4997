using Sawt.Contracts.Voices;

namespace Sawt.Gateway.Auth;

/// <summary>
/// A configured key as the gateway acts on it, without its secret: which entry it is (its index in
/// <c>Sawt:Auth:Keys</c>, safe to log), its tenant and its limits (0 = none). It is the partition key of the
/// per-key limiters, so two keys of one tenant have separate budgets.
/// </summary>
internal sealed record ApiKey(int Index, string Tenant, int RequestsPerMinute, int MaxConcurrentContexts)
{
    /// <summary>The caller when the API is open (no keys): nothing to limit.</summary>
    public static readonly ApiKey Open = new(-1, VoiceKeys.OpenTenant, 0, 0);
}
