using System.Text.Json.Serialization;

namespace Sawt.Protocol;

/// <summary>
/// A JSON text frame a client sends on <c>/v1/ws</c>, told apart by its <c>type</c> (docs/protocol.md, Client
/// messages). Every one names its context.
/// </summary>
/// <param name="ContextId">The client-chosen context id, 1 to 128 characters.</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SynthesizeMessage), "synthesize")]
[JsonDerivedType(typeof(TextMessage), "text")]
[JsonDerivedType(typeof(FlushMessage), "flush")]
[JsonDerivedType(typeof(EndMessage), "end")]
[JsonDerivedType(typeof(CancelMessage), "cancel")]
// Ordered first so that every message reads "type", then "context_id", then its own fields.
public abstract record ClientMessage([property: JsonPropertyName("context_id"), JsonPropertyOrder(-1)] string ContextId);
