namespace Sawt.Gateway.Auth;

/// <summary>
/// API keys (section <see cref="SectionName"/>), e.g. <c>Sawt:Auth:Keys:0:Key</c> and <c>Sawt:Auth:Keys:0:Tenant</c>.
/// With none, the API is open and every caller is the one implicit tenant.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Sawt:Auth";

    /// <summary>The accepted keys; empty means open.</summary>
    public List<ApiKeyOptions> Keys { get; set; } = [];
}
