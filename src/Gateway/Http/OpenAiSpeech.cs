using System.Text.Json;
using Sawt.Contracts.Sessions;
using Sawt.Gateway.Audio;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.Http;

/// <summary>Mapping of the OpenAI <c>/v1/audio/speech</c> body onto Sawt sessions.</summary>
internal static class OpenAiSpeech
{
    /// <summary>OpenAI's default <c>response_format</c>, which its official SDKs send nothing for.</summary>
    public const string DefaultFormat = "mp3";

    /// <summary>The rate of every OpenAI format (OpenAI's own are 24 kHz too).</summary>
    public const int SampleRate = 24000;

    /// <summary>OpenAI's built-in voice names; each maps to Sawt's "default" voice.</summary>
    public static readonly IReadOnlySet<string> BuiltInVoices = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse", "marin", "cedar",
    };

    /// <summary>OpenAI's formats: the container ones the gateway encodes with ffmpeg; wav and pcm are the session's PCM.</summary>
    private static readonly IReadOnlyDictionary<string, TranscodedFormat?> Formats = new Dictionary<string, TranscodedFormat?>(StringComparer.Ordinal)
    {
        ["mp3"] = TranscodedFormats.Mp3,
        ["opus"] = TranscodedFormats.OggOpus,
        ["aac"] = TranscodedFormats.Aac,
        ["flac"] = TranscodedFormats.Flac,
        ["wav"] = null,
        ["pcm"] = null,
    };

    public static string MapVoice(string? voice) =>
        voice is null || BuiltInVoices.Contains(voice) ? Contracts.Voices.VoiceIds.Default : voice;

    /// <summary>
    /// Reads the whole body before anything acts on it: <c>input</c>, <c>voice</c>, <c>response_format</c>,
    /// <c>speed</c>, and Sawt's optional <c>language</c> and <c>sampling</c>. <c>model</c> is ignored (not read), like
    /// any unknown field.
    /// </summary>
    public static OpenAiSpeechRequest Read(JsonElement root, GatewayOptions options, AudioEncoders encoders)
    {
        var fields = new JsonFields(root);
        var input = fields.RequiredString("input");
        SynthesisRequestParser.CheckTextLength(input.Length, options);
        var format = fields.String("response_format") ?? DefaultFormat;
        if (!Formats.TryGetValue(format, out var container))
        {
            throw new ProtocolException(ErrorCodes.InvalidRequest, "Unknown response_format; OpenAI's are mp3, opus, aac, flac, wav and pcm.");
        }

        var speed = fields.Double("speed") ?? 1.0;
        if (!(speed >= TempoFilter.MinSpeed && speed <= TempoFilter.MaxSpeed))
        {
            throw new ProtocolException(ErrorCodes.InvalidOptions, $"speed must be {TempoFilter.MinSpeed} to {TempoFilter.MaxSpeed}.");
        }

        var start = new SessionStart
        {
            Text = input,
            Language = SynthesisRequestParser.Language(fields.String("language"), "language", options),
            VoiceId = SynthesisRequestParser.Voice(MapVoice(fields.String("voice"))),
            Sampling = SynthesisRequestParser.ParseSampling(fields.Object("sampling")),
            Quality = SynthesisRequestParser.Quality(fields.String("quality")),
            Output = new OutputFormatSettings { Encoding = "pcm_s16le", SampleRate = SampleRate },
        };

        // wav and pcm at speed 1 are the session's own PCM; anything else goes through the encoder (a speed through
        // its tempo filter, with 16-bit PCM out).
        var encoded = container ?? (TempoFilter.IsIdentity(speed) ? null : TranscodedFormats.Pcm16);
        var transcoding = encoded is null ? null : new Transcoding(encoders, new TranscodeRequest(encoded, SampleRate, speed));
        if (transcoding is not null)
        {
            encoders.EnsureAvailable(encoded!);
        }

        return new OpenAiSpeechRequest(start, Wav: format == "wav", transcoding);
    }
}

/// <summary>
/// An OpenAI speech request as a session, whether to answer with a whole WAV (else streamed), and the encoder the
/// audio goes through, if any.
/// </summary>
internal sealed record OpenAiSpeechRequest(SessionStart Start, bool Wav, Transcoding? Transcoding);
