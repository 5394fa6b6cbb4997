using System.Text.Json;
using Sawt.Contracts.Sessions;
using Sawt.Contracts.Voices;

namespace Sawt.Gateway.Protocol;

/// <summary>
/// Reads the synthesis fields shared by the WebSocket <c>synthesize</c> message and the HTTP bodies (text,
/// language, voice, output_format, sampling, chunking, quality, incremental) into a <see cref="SessionStart"/>, all of them
/// before anything acts on the request. Value ranges are the session's to check (it answers
/// <c>invalid_options</c>, <c>unsupported_language</c>, ...); the gateway checks shape, text validity, the text
/// limit, the voice id's form, and bounds the lengths of language and encoding names (the session echoes them).
/// </summary>
internal static class SynthesisRequestParser
{
    public const int MaxVoiceIdLength = 64;

    /// <summary>Longest language tag passed on (BCP 47 allows 35 characters; Sawt's codes are two letters).</summary>
    public const int MaxLanguageLength = 35;

    /// <summary>Longest encoding name passed on (the longest alias is 9 characters).</summary>
    public const int MaxEncodingLength = 32;

    /// <summary>Longest quality tier name passed on (the tiers are <c>fast</c>, <c>balanced</c>, <c>best</c>; the session checks which).</summary>
    public const int MaxQualityLength = 32;

    public static SessionStart Parse(JsonElement root, GatewayOptions options, bool allowIncremental)
    {
        var fields = new JsonFields(root);
        var incremental = allowIncremental && (fields.Bool("incremental") ?? false);
        var text = fields.String("text");
        if (text is null && !incremental)
        {
            throw new ProtocolException(ErrorCodes.InvalidRequest, "Field 'text' is required.");
        }

        text ??= string.Empty;
        CheckTextLength(text.Length, options);
        return new SessionStart
        {
            Text = text,
            Language = Language(fields.String("language"), "language", options),
            VoiceId = Voice(fields.String("voice")),
            Incremental = incremental,
            Output = ParseOutput(fields.Object("output_format")),
            Sampling = ParseSampling(fields.Object("sampling")),
            Chunking = ParseChunking(fields.Object("chunking")),
            Quality = Quality(fields.String("quality")),
        };
    }

    /// <summary>The decoder quality tier, passed on as given (bounded); whether it is a tier is the session's to say.</summary>
    public static string? Quality(string? quality) => quality is null || quality.Length <= MaxQualityLength
        ? quality
        : throw new ProtocolException(ErrorCodes.InvalidRequest, $"Field 'quality' is at most {MaxQualityLength} characters.");

    public static void CheckTextLength(int length, GatewayOptions options)
    {
        if (length > options.MaxTextLength)
        {
            throw new ProtocolException(
                ErrorCodes.TextTooLong,
                $"Text is {length} characters; the limit is {options.MaxTextLength}.");
        }
    }

    /// <summary>The voice id, <c>default</c> when absent; throws <c>invalid_request</c> for an id of the wrong form.</summary>
    public static string Voice(string? voice)
    {
        voice ??= VoiceIds.Default;
        CheckVoiceId(voice);
        return voice;
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

    /// <summary>The language, the default when absent; whether it is supported is the session's to say.</summary>
    public static string Language(string? language, string field, GatewayOptions options)
    {
        if (language is null)
        {
            return options.DefaultLanguage;
        }

        return language.Length <= MaxLanguageLength
            ? language
            : throw new ProtocolException(ErrorCodes.InvalidRequest, $"Field '{field}' is at most {MaxLanguageLength} characters.");
    }

    private static OutputFormatSettings ParseOutput(JsonFields? element)
    {
        if (element is not { } o)
        {
            return new OutputFormatSettings();
        }

        var encoding = o.String("encoding") ?? new OutputFormatSettings().Encoding;
        if (encoding.Length > MaxEncodingLength)
        {
            throw new ProtocolException(ErrorCodes.InvalidRequest, $"Field 'output_format.encoding' is at most {MaxEncodingLength} characters.");
        }

        return new OutputFormatSettings { Encoding = encoding, SampleRate = o.Int("sample_rate") };
    }

    public static SamplingSettings ParseSampling(JsonFields? element)
    {
        if (element is not { } s)
        {
            return new SamplingSettings();
        }

        return new SamplingSettings
        {
            Temperature = s.Float("temperature"),
            MinP = s.Float("min_p"),
            TopP = s.Float("top_p"),
            RepetitionPenalty = s.Float("repetition_penalty"),
            CfgWeight = s.Float("cfg_weight"),
            Exaggeration = s.Float("exaggeration"),
            Seed = s.ULong("seed"),
            MaxNewTokens = s.Int("max_new_tokens"),
        };
    }

    private static ChunkingSettings ParseChunking(JsonFields? element)
    {
        if (element is not { } c)
        {
            return new ChunkingSettings();
        }

        return new ChunkingSettings
        {
            Schedule = c.IntArray("schedule"),
            ContextTokens = c.Int("context_tokens"),
            HoldbackTokens = c.Int("holdback_tokens"),
            CrossFadeMilliseconds = c.Double("cross_fade_ms"),
            SentencePauseMilliseconds = c.Double("sentence_pause_ms"),
        };
    }
}
