using System.Text.Json.Serialization;

namespace Sawt.Protocol;

/// <summary>
/// A JSON text frame the server sends on <c>/v1/ws</c>, told apart by its <c>type</c> (docs/protocol.md, Server
/// messages). An <see cref="AudioMessage"/> is followed by exactly one binary frame with its bytes.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(StartedMessage), "started")]
[JsonDerivedType(typeof(AudioMessage), "audio")]
[JsonDerivedType(typeof(DoneMessage), "done")]
[JsonDerivedType(typeof(CancelledMessage), "cancelled")]
[JsonDerivedType(typeof(ErrorMessage), "error")]
public abstract record ServerMessage;
