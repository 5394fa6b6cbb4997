namespace Sawt.Gateway.Auth;

/// <summary>
/// API keys (section <see cref="SectionName"/>), e.g. <c>Sawt:Auth:Keys:0:Key</c> and <c>Sawt:Auth:Keys:0:Tenant</c>,
/// and the limits each key gets unless it sets its own. With no keys, the API is open, every caller is the one
/// implicit tenant, and there is no key to limit.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Sawt:Auth";

    /// <summary>The accepted keys; empty means open.</summary>
    public List<ApiKeyOptions> Keys { get; set; } = [];

    /// <summary>
    /// Requests a key may make per minute (a token bucket: up to this many at once, refilled at this rate): every
    /// HTTP request on an API path, WebSocket handshake, <c>synthesize</c> and <c>text</c> message. 0 means no limit.
    /// </summary>
    public int RequestsPerMinute { get; set; } = 3000;

    /// <summary>Contexts a key may have running at once: WebSocket contexts on all its sockets plus HTTP syntheses. 0 means no limit.</summary>
    public int MaxConcurrentContexts { get; set; } = 64;

    /// <summary>
    /// Keys that open the operator pages (<c>/ops</c>, e.g. <c>Sawt:Auth:OperatorKeys:0</c>). With any key configured
    /// (here or in <see cref="Keys"/>) the operator pages need one of these; a tenant key is refused there (403).
    /// </summary>
    public List<string> OperatorKeys { get; set; } = [];
}
