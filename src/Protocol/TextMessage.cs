using System.Text.Json.Serialization;

namespace Sawt.Protocol;

/// <summary><c>text</c>: more text for an incremental context; with <paramref name="Flush"/>, then a flush.</summary>
/// <param name="ContextId">The context.</param>
/// <param name="Text">Not empty.</param>
/// <param name="Flush">Speak the buffered text now, without waiting for a sentence end.</param>
public sealed record TextMessage(
    string ContextId,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("flush")] bool? Flush = null) : ClientMessage(ContextId);
