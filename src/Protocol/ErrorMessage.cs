using System.Text.Json.Serialization;

namespace Sawt.Protocol;

/// <summary>
/// <c>error</c>: a refused message or a context that failed. <paramref name="ContextEnded"/> is true only when
/// the error is the context's terminal message (docs/protocol.md, Order and termination).
/// </summary>
/// <param name="ContextId">The context it concerns, when the message named a valid one; otherwise absent.</param>
/// <param name="ContextEnded">Present with <paramref name="ContextId"/>: nothing more comes for that context.</param>
/// <param name="Code">A stable code (<see cref="ErrorCodes"/>, or a session code passed through).</param>
/// <param name="Message">Human-readable; never repeats the client's text.</param>
/// <param name="Retryable">Whether the same request may succeed later.</param>
/// <param name="RetryAfterMilliseconds">When a retry is likely to succeed, e.g. for <c>busy</c>.</param>
public sealed record ErrorMessage(
    [property: JsonPropertyName("context_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ContextId,
    [property: JsonPropertyName("context_ended"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? ContextEnded,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("retryable")] bool Retryable,
    [property: JsonPropertyName("retry_after_ms"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? RetryAfterMilliseconds) : ServerMessage;
