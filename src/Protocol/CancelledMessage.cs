using System.Text.Json.Serialization;

namespace Sawt.Protocol;

/// <summary><c>cancelled</c>: the context was cancelled; no audio of it follows.</summary>
/// <param name="ContextId">The context that ended.</param>
public sealed record CancelledMessage([property: JsonPropertyName("context_id")] string ContextId) : ServerMessage;
