namespace Sawt.Gateway.Protocol;

/// <summary>
/// A client request the gateway refuses before it reaches the cluster. Most refusals are final; a limit
/// (<c>rate_limited</c>) is retryable after a hint.
/// </summary>
internal sealed class ProtocolException(string code, string message, bool retryable = false, double? retryAfterSeconds = null)
    : Exception(message)
{
    public string Code { get; } = code;

    public bool Retryable { get; } = retryable;

    public double? RetryAfterSeconds { get; } = retryAfterSeconds;
}
