using System.Text.Json.Serialization;

namespace Sawt.Protocol;

/// <summary>The <c>error</c> object of an HTTP error answer.</summary>
/// <param name="Code">A stable code (<see cref="ErrorCodes"/>, or a session code passed through).</param>
/// <param name="Message">Human-readable.</param>
/// <param name="Retryable">Whether the same request may succeed later.</param>
/// <param name="RetryAfterMilliseconds">When a retry is likely to succeed (also sent as <c>Retry-After</c>).</param>
public sealed record HttpErrorDetail(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("retryable")] bool Retryable,
    [property: JsonPropertyName("retry_after_ms")] long? RetryAfterMilliseconds = null);
