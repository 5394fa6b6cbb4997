using System.Text.Json.Serialization;

namespace Sawt.Protocol;

/// <summary>Every HTTP error answer: <c>{"error":{"code","message","retryable","retry_after_ms"?}}</c>.</summary>
/// <param name="Error">The error.</param>
public sealed record HttpErrorResponse([property: JsonPropertyName("error")] HttpErrorDetail Error);
