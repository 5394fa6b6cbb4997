namespace Sawt.Gateway.Auth;

/// <summary>One API key and the tenant it belongs to (an entry of <see cref="AuthOptions.Keys"/>).</summary>
public sealed class ApiKeyOptions
{
    /// <summary>The secret clients present; never logged.</summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>The tenant the key acts for: 1 to 64 of A-Z, a-z, 0-9, '_', '-', '.'. Several keys may share one.</summary>
    public string Tenant { get; set; } = string.Empty;

    /// <summary>Optional label for operators (e.g. who holds the key).</summary>
    public string? Name { get; set; }

    /// <summary>This key's request rate; unset takes <see cref="AuthOptions.RequestsPerMinute"/>; 0 means no limit.</summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>This key's running contexts at once; unset takes <see cref="AuthOptions.MaxConcurrentContexts"/>; 0 means no limit.</summary>
    public int? MaxConcurrentContexts { get; set; }
}
