using System.Text.Json;
using Sawt.Contracts.Sessions;

namespace Sawt.Gateway.Protocol;

/// <summary>
/// Reads the user's guide's requests whole before anything acts on them: a <c>/ws/tts</c> message
/// <c>{text, language_id, speaker_id}</c> and the <c>GET /tts/stream</c> query. Both become a session at 24 kHz
/// float32, the guide's format.
/// </summary>
internal static class CompatRequestReader
{
    /// <summary>A <c>/ws/tts</c> text frame; throws <see cref="ProtocolException"/> for anything invalid.</summary>
    public static SessionStart ReadMessage(ReadOnlyMemory<byte> frame, GatewayOptions options)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame);
        }
        catch (JsonException)
        {
            throw new ProtocolException(ErrorCodes.InvalidJson, "The message is not valid JSON.");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ProtocolException(ErrorCodes.InvalidRequest, "A message is a JSON object.");
            }

            var fields = new JsonFields(document.RootElement);

            // An empty text is the session's to refuse (empty_text), as the guide's server would.
            return Start(fields.String("text") ?? string.Empty, fields.String("language_id"), fields.String("speaker_id"), options);
        }
    }

    /// <summary>The <c>GET /tts/stream</c> query (raw, still percent-encoded).</summary>
    public static SessionStart ReadQuery(string? rawQuery, GatewayOptions options)
    {
        var query = new QueryParameters(rawQuery);
        var text = query.Get("text");
        if (string.IsNullOrEmpty(text))
        {
            throw new ProtocolException(ErrorCodes.InvalidRequest, "Query parameter 'text' is required.");
        }

        // Empty optional parameters (?speaker_id=) take their defaults, as the guide's server does.
        return Start(text, NullIfEmpty(query.Get("language_id")), NullIfEmpty(query.Get("speaker_id")), options);
    }

    private static SessionStart Start(string text, string? language, string? voice, GatewayOptions options)
    {
        SynthesisRequestParser.CheckTextLength(text.Length, options);
        return new SessionStart
        {
            Text = text,
            Language = SynthesisRequestParser.Language(language, "language_id", options),
            VoiceId = SynthesisRequestParser.Voice(voice),
            Output = new OutputFormatSettings { Encoding = "pcm_f32le", SampleRate = 24000 },
        };
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
