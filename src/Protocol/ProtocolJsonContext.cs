using System.Text.Json.Serialization;

namespace Sawt.Protocol;

/// <summary>
/// Source-generated JSON for every protocol record. Null fields are left out unless a record says otherwise (an
/// absent field is the server's default, docs/protocol.md); <c>type</c> may come anywhere in an object.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowOutOfOrderMetadataProperties = true)]
[JsonSerializable(typeof(ServerMessage))]
[JsonSerializable(typeof(ClientMessage))]
[JsonSerializable(typeof(TtsRequest))]
[JsonSerializable(typeof(HttpErrorResponse))]
[JsonSerializable(typeof(VoiceDescription))]
[JsonSerializable(typeof(VoiceList))]
public sealed partial class ProtocolJsonContext : JsonSerializerContext;
