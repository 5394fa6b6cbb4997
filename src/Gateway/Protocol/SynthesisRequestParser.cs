using System.Text.Json;
using Sawt.Contracts.Sessions;
using Sawt.Contracts.Voices;

namespace Sawt.Gateway.Protocol;

/// <summary>
/// Reads the synthesis fields shared by the WebSocket <c>synthesize</c> message and the HTTP bodies (text,
/// language, voice, output_format, sampling, chunking, incremental) into a <see cref="SessionStart"/>.
/// Value ranges are the session's to check (it answers <c>invalid_options</c>, <c>unsupported_language</c>, ...);
/// the gateway checks shape, the text limit, and the voice id's form.
/// </summary>
internal static class SynthesisRequestParser
{
    public const int MaxVoiceIdLength = 64;

    public static SessionStart Parse(JsonElement root, GatewayOptions options, bool allowIncremental)
    {
        var incremental = allowIncremental && (JsonFields.Bool(root, "incremental") ?? false);
        var text = JsonFields.String(root, "text");
        if (text is null && !incremental)
        {
            throw new ProtocolException(ErrorCodes.InvalidRequest, "Field 'text' is required.");
        }

        text ??= string.Empty;
        CheckTextLength(text.Length, options);
        var voice = JsonFields.String(root, "voice") ?? VoiceIds.Default;
        CheckVoiceId(voice);
        return new SessionStart
        {
            Text = text,
            Language = JsonFields.String(root, "language") ?? options.DefaultLanguage,
            VoiceId = voice,
            Incremental = incremental,
            Output = ParseOutput(JsonFields.Object(root, "output_format")),
            Sampling = ParseSampling(JsonFields.Object(root, "sampling")),
            Chunking = ParseChunking(JsonFields.Object(root, "chunking")),
        };
    }

    public static void CheckTextLength(int length, GatewayOptions options)
    {
        if (length > options.MaxTextLength)
        {
            throw new ProtocolException(
                ErrorCodes.TextTooLong,
                $"Text is {length} characters; the limit is {options.MaxTextLength}.");
        }
    }

    public static void CheckVoiceId(string voice)
    {
        if (voice.Length is 0 or > MaxVoiceIdLength || !voice.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw new ProtocolException(
                ErrorCodes.InvalidRequest,
                $"Voice ids are 1 to {MaxVoiceIdLength} characters of A-Z, a-z, 0-9, '_', '-', '.'.");
        }
    }

    private static OutputFormatSettings ParseOutput(JsonElement? element)
    {
        if (element is not { } o)
        {
            return new OutputFormatSettings();
        }

        return new OutputFormatSettings
        {
            Encoding = JsonFields.String(o, "encoding") ?? "pcm_f32le",
            SampleRate = JsonFields.Int(o, "sample_rate"),
        };
    }

    private static SamplingSettings ParseSampling(JsonElement? element)
    {
        if (element is not { } s)
        {
            return new SamplingSettings();
        }

        return new SamplingSettings
        {
            Temperature = JsonFields.Float(s, "temperature"),
            MinP = JsonFields.Float(s, "min_p"),
            TopP = JsonFields.Float(s, "top_p"),
            RepetitionPenalty = JsonFields.Float(s, "repetition_penalty"),
            CfgWeight = JsonFields.Float(s, "cfg_weight"),
            Exaggeration = JsonFields.Float(s, "exaggeration"),
            Seed = JsonFields.ULong(s, "seed"),
            MaxNewTokens = JsonFields.Int(s, "max_new_tokens"),
        };
    }

    private static ChunkingSettings ParseChunking(JsonElement? element)
    {
        if (element is not { } c)
        {
            return new ChunkingSettings();
        }

        return new ChunkingSettings
        {
            Schedule = JsonFields.IntArray(c, "schedule"),
            ContextTokens = JsonFields.Int(c, "context_tokens"),
            HoldbackTokens = JsonFields.Int(c, "holdback_tokens"),
            CrossFadeMilliseconds = JsonFields.Double(c, "cross_fade_ms"),
            SentencePauseMilliseconds = JsonFields.Double(c, "sentence_pause_ms"),
        };
    }
}
