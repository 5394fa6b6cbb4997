using System.Text.Json.Serialization;

namespace Sawt.Protocol;

/// <summary><c>started</c>: the context's session runs on the cluster.</summary>
/// <param name="ContextId">The client's name for the context.</param>
/// <param name="SessionId">The cluster's session id (for logs and support).</param>
public sealed record StartedMessage(
    [property: JsonPropertyName("context_id")] string ContextId,
    [property: JsonPropertyName("session_id")] Guid SessionId) : ServerMessage;
