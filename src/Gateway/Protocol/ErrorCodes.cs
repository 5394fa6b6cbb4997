namespace Sawt.Gateway.Protocol;

/// <summary>
/// Stable error codes the gateway produces or maps to an HTTP status (docs/protocol.md); other session codes
/// pass through unchanged.
/// </summary>
internal static class ErrorCodes
{
    public const string InvalidJson = "invalid_json";
    public const string InvalidRequest = "invalid_request";

    /// <summary>A string is not valid Unicode text, or holds U+0000 or a non-character (<see cref="TextRules"/>).</summary>
    public const string InvalidText = "invalid_text";
    public const string UnknownMessageType = "unknown_message_type";
    public const string UnsupportedVersion = "unsupported_version";
    public const string UnknownContext = "unknown_context";
    public const string DuplicateContext = "duplicate_context";
    public const string TooManyContexts = "too_many_contexts";
    public const string TooManyMessages = "too_many_messages";
    public const string UnexpectedBinary = "unexpected_binary";
    public const string TextTooLong = "text_too_long";
    public const string UnknownVoice = "unknown_voice";
    public const string Busy = "busy";
    public const string SlowConsumer = "slow_consumer";
    public const string IdleTimeout = "idle_timeout";
    public const string MessageTooBig = "message_too_big";
    public const string UnsupportedFormat = "unsupported_format";
    public const string InvalidOptions = "invalid_options";

    /// <summary>The format needs an encoder this server lacks (ffmpeg not installed, or built without it): HTTP 503.</summary>
    public const string EncoderUnavailable = "encoder_unavailable";
    public const string PayloadTooLarge = "payload_too_large";
    public const string NotReady = "not_ready";
    public const string Unavailable = "unavailable";
    public const string InternalError = "internal_error";
    public const string Cancelled = "cancelled";
    public const string DeadlineExceeded = "deadline_exceeded";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string RequestTimeout = "request_timeout";
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>API keys are configured and the request presents none, or an unknown one (401).</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>The request presents a valid API key that does not open this path (an operator path, 403).</summary>
    public const string Forbidden = "forbidden";

    /// <summary>The session's event stream failed or ended early (from <see cref="Backend.OrleansSessionHandle"/>).</summary>
    public const string StreamError = "stream_error";

    /// <summary>An audio chunk never arrived (from <see cref="Backend.OrleansSessionHandle"/>).</summary>
    public const string AudioGap = "audio_gap";

    // Session codes the gateway maps to an HTTP status (produced by the cluster).
    public const string UnsupportedLanguage = "unsupported_language";
    public const string EmptyText = "empty_text";
    public const string NoWorkers = "no_workers";
    public const string ShuttingDown = "shutting_down";

    // Voice enrolment codes, produced by the cluster (the engine checks the reference WAV).
    public const string UnreadableAudio = "unreadable_audio";
    public const string UnsupportedAudioFormat = "unsupported_audio_format";
    public const string ReferenceAudioTooShort = "reference_audio_too_short";
    public const string ReferenceAudioTooLong = "reference_audio_too_long";
    public const string ReferenceAudioSilent = "reference_audio_silent";
}
