using System.Text.Json;

namespace Sawt.Gateway.Protocol;

/// <summary>
/// Reads a <c>/v1/ws</c> text frame into a <see cref="ParsedMessage"/> (docs/protocol.md): JSON, an object, version,
/// type, then every field of that type, so the connection only ever applies whole, valid messages. Checks that
/// depend on the socket's state (unknown or duplicate context, limits) are the connection's.
/// </summary>
internal sealed class ClientMessageReader(GatewayOptions options)
{
    public const int MaxContextIdLength = 128;

    public ParsedMessage Read(ReadOnlyMemory<byte> frame)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame);
        }
        catch (JsonException)
        {
            return new InvalidMessage(new ApiError(ErrorCodes.InvalidJson, "The message is not valid JSON.", false), null, false);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new InvalidMessage(new ApiError(ErrorCodes.InvalidRequest, "A message is a JSON object.", false), null, false);
            }

            var fields = new JsonFields(root);
            try
            {
                CheckVersion(fields);
                return fields.RequiredString("type") switch
                {
                    "synthesize" => new ParsedSynthesize(ContextId(fields), SynthesisRequestParser.Parse(root, options, allowIncremental: true)),
                    "text" => ReadText(fields),
                    "flush" => new ParsedFlush(ContextId(fields)),
                    "end" => new ParsedEnd(ContextId(fields)),
                    "cancel" => new ParsedCancel(ContextId(fields)),
                    _ => throw new ProtocolException(
                        ErrorCodes.UnknownMessageType,
                        "Unknown message type; the types are synthesize, text, flush, end and cancel."),
                };
            }
            catch (ProtocolException exception)
            {
                // Echo the context id only when it is valid: an invalid one names no context and may not be text.
                var contextId = fields.StringOrNull("context_id") is { Length: > 0 and <= MaxContextIdLength } id ? id : null;
                return new InvalidMessage(ApiError.From(exception), contextId, fields.StringOrNull("type") == "synthesize");
            }
        }
    }

    /// <summary>
    /// <c>v</c> is optional; a number equal to 1 (<c>1</c>, <c>1.0</c>, <c>1e0</c>) is version 1, and any other value
    /// (other numbers, strings, objects, ...) is <c>unsupported_version</c>. Null reads as absent, as for every field.
    /// </summary>
    private static void CheckVersion(JsonFields fields)
    {
        if (fields.Value("v") is not { } version)
        {
            return;
        }

        // Decimal, not double: 1.0000000000000001 is not 1, though it rounds to 1.0 as a double.
        if (version.ValueKind != JsonValueKind.Number || !version.TryGetDecimal(out var number) || number != 1m)
        {
            throw new ProtocolException(ErrorCodes.UnsupportedVersion, "This endpoint speaks protocol version 1 (\"v\": 1).");
        }
    }

    private ParsedText ReadText(JsonFields fields)
    {
        var contextId = ContextId(fields);
        var text = fields.RequiredString("text");
        if (text.Length == 0)
        {
            throw new ProtocolException(ErrorCodes.InvalidRequest, "Field 'text' must not be empty.");
        }

        // The limit summed over the context is the connection's to check; one message over it is refused here.
        SynthesisRequestParser.CheckTextLength(text.Length, options);
        return new ParsedText(contextId, text, fields.Bool("flush") ?? false);
    }

    private static string ContextId(JsonFields fields)
    {
        var id = fields.RequiredString("context_id");
        return id.Length is > 0 and <= MaxContextIdLength
            ? id
            : throw new ProtocolException(ErrorCodes.InvalidRequest, $"Field 'context_id' must be 1 to {MaxContextIdLength} characters.");
    }
}
