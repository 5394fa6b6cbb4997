using Sawt.Protocol;

namespace Sawt.Client;

/// <summary>
/// An error from the gateway, or the client's own (<see cref="ErrorCodes.ConnectionLost"/>,
/// <see cref="ErrorCodes.ProtocolViolation"/>): a stable <see cref="Code"/> to switch on, whether the same request
/// may succeed later, and when.
/// </summary>
public sealed class SawtException : Exception
{
    public SawtException(string code, string message, bool retryable, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        Retryable = retryable;
        RetryAfter = retryAfter;
    }

    /// <summary>The stable error code (<see cref="ErrorCodes"/>, or a session code passed through).</summary>
    public string Code { get; }

    /// <summary>Whether the same request may succeed later (<c>busy</c>, <c>unavailable</c>, a lost connection).</summary>
    public bool Retryable { get; }

    /// <summary>When a retry is likely to succeed, when the server said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The HTTP status, for errors of HTTP calls and refused WebSocket handshakes.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The context the error ended or concerned, for WebSocket errors.</summary>
    public string? ContextId { get; init; }

    internal static SawtException From(ErrorMessage error) => new(error.Code, error.Message, error.Retryable, Milliseconds(error.RetryAfterMilliseconds))
    {
        ContextId = error.ContextId,
    };

    internal static SawtException From(HttpErrorDetail error, int status, TimeSpan? retryAfterHeader) =>
        new(error.Code, error.Message, error.Retryable, Milliseconds(error.RetryAfterMilliseconds) ?? retryAfterHeader)
        {
            StatusCode = status,
        };

    internal static SawtException Lost(string message, Exception? innerException = null) =>
        new(ErrorCodes.ConnectionLost, message, retryable: true, innerException: innerException);

    internal static SawtException Violation(string message, Exception? innerException = null) =>
        new(ErrorCodes.ProtocolViolation, message, retryable: false, innerException: innerException);

    private static TimeSpan? Milliseconds(long? milliseconds) =>
        milliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null;
}
