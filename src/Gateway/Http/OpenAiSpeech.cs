using System.Text.Json;
using Sawt.Contracts.Sessions;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.Http;

/// <summary>Mapping of the OpenAI <c>/v1/audio/speech</c> body onto Sawt sessions.</summary>
internal static class OpenAiSpeech
{
    /// <summary>OpenAI's built-in voice names; each maps to Sawt's "default" voice.</summary>
    public static readonly IReadOnlySet<string> BuiltInVoices = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse", "marin", "cedar",
    };

    /// <summary>Formats OpenAI documents; only wav and pcm are produced.</summary>
    public static readonly IReadOnlySet<string> KnownFormats = new HashSet<string>(StringComparer.Ordinal)
    {
        "mp3", "opus", "aac", "flac", "wav", "pcm",
    };

    public static string MapVoice(string? voice) =>
        voice is null || BuiltInVoices.Contains(voice) ? Contracts.Voices.VoiceIds.Default : voice;

    /// <summary>
    /// Reads the whole body before anything acts on it: <c>input</c>, <c>voice</c>, <c>response_format</c>,
    /// <c>speed</c>, <c>language</c>. <c>model</c> is ignored (not read), like any unknown field.
    /// </summary>
    public static OpenAiSpeechRequest Read(JsonElement root, GatewayOptions options)
    {
        var fields = new JsonFields(root);
        var input = fields.RequiredString("input");
        SynthesisRequestParser.CheckTextLength(input.Length, options);
        var format = fields.String("response_format") ?? "wav";
        if (!KnownFormats.Contains(format))
        {
            throw new ProtocolException(ErrorCodes.InvalidRequest, "Unknown response_format; OpenAI's are mp3, opus, aac, flac, wav and pcm.");
        }

        if (format is not ("wav" or "pcm"))
        {
            throw new ProtocolException(ErrorCodes.UnsupportedFormat, $"response_format '{format}' is not produced; use wav or pcm (24 kHz 16-bit mono).");
        }

        if (fields.Double("speed") is { } speed && Math.Abs(speed - 1.0) > 1e-9)
        {
            throw new ProtocolException(ErrorCodes.InvalidOptions, "Only speed 1.0 is supported.");
        }

        var start = new SessionStart
        {
            Text = input,
            Language = SynthesisRequestParser.Language(fields.String("language"), "language", options),
            VoiceId = SynthesisRequestParser.Voice(MapVoice(fields.String("voice"))),
            Output = new OutputFormatSettings { Encoding = "pcm_s16le", SampleRate = 24000 },
        };
        return new OpenAiSpeechRequest(start, Wav: format == "wav");
    }
}

/// <summary>An OpenAI speech request as a session, and whether to answer with a whole WAV (else streamed raw PCM).</summary>
internal sealed record OpenAiSpeechRequest(SessionStart Start, bool Wav);
