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

    /// <summary>
    /// Keys that open the operator pages (<c>/ops</c>, e.g. <c>Sawt:Auth:OperatorKeys:0</c>). With any key configured
    /// (here or in <see cref="Keys"/>) the operator pages need one of these; a tenant key is refused there (403).
    /// </summary>
    public List<string> OperatorKeys { get; set; } = [];
}
