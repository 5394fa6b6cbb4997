using Sawt.Gateway.Auth;

namespace Sawt.Gateway.Limits;

/// <summary>
/// A socket's view of its key's limits (the key the handshake presented): each message that feeds synthesis takes a
/// request, each context holds a running context. <c>end</c>, <c>flush</c> and <c>cancel</c> take nothing, so a
/// client over its limits can always finish or stop what it started.
/// </summary>
internal sealed class SocketLimits(KeyLimits limits, ApiKey key)
{
    /// <summary>Takes one request; throws <c>rate_limited</c> when the key's rate is used up.</summary>
    public void TakeRequest() => limits.TakeRequest(key);

    /// <summary>A running context until disposed (caller disposes); throws <c>rate_limited</c> when the key has all running.</summary>
    public IDisposable StartContext() => limits.StartContext(key);
}
