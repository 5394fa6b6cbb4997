namespace Sawt.Protocol;

/// <summary>
/// Stable error codes of the wire protocol (docs/protocol.md): those the gateway produces or maps to an HTTP status,
/// and the client libraries' own. Other session codes pass through unchanged. No error code is written as a string
/// literal outside this file.
/// </summary>
public static class ErrorCodes
{
    /// <summary>A text frame or body is not JSON (HTTP 400).</summary>
    public const string InvalidJson = "invalid_json";

    /// <summary>Not an object, a missing or mistyped field, a bad context or voice id, ... (HTTP 400).</summary>
    public const string InvalidRequest = "invalid_request";

    /// <summary>A string is not valid Unicode text, or holds U+0000 or a non-character (docs/protocol.md, Text).</summary>
    public const string InvalidText = "invalid_text";

    /// <summary><c>type</c> is not a client message type.</summary>
    public const string UnknownMessageType = "unknown_message_type";

    /// <summary><c>v</c> is other than a number equal to 1.</summary>
    public const string UnsupportedVersion = "unsupported_version";

    /// <summary><c>text</c>, <c>flush</c>, <c>end</c> or <c>cancel</c> for no active context; ends nothing.</summary>
    public const string UnknownContext = "unknown_context";

    /// <summary><c>synthesize</c> with the id of an active context.</summary>
    public const string DuplicateContext = "duplicate_context";

    /// <summary>More active contexts on one socket than the gateway allows.</summary>
    public const string TooManyContexts = "too_many_contexts";

    /// <summary>Too many unprocessed <c>text</c>/<c>flush</c>/<c>end</c> messages for one context.</summary>
    public const string TooManyMessages = "too_many_messages";

    /// <summary>The client sent a binary frame.</summary>
    public const string UnexpectedBinary = "unexpected_binary";

    /// <summary>Text over the limit, per request or summed over a context.</summary>
    public const string TextTooLong = "text_too_long";

    /// <summary>The tenant has no voice with that id (HTTP 404).</summary>
    public const string UnknownVoice = "unknown_voice";

    /// <summary>The cluster is full; retryable, with a retry hint (HTTP 429).</summary>
    public const string Busy = "busy";

    /// <summary>The client did not read its audio in time; the context was cancelled. Retryable.</summary>
    public const string SlowConsumer = "slow_consumer";

    /// <summary>No traffic either way for the gateway's idle timeout; the socket closes.</summary>
    public const string IdleTimeout = "idle_timeout";

    /// <summary>A message over the gateway's size limit (close reason of 1009).</summary>
    public const string MessageTooBig = "message_too_big";

    /// <summary>The output format is not supported.</summary>
    public const string UnsupportedFormat = "unsupported_format";

    /// <summary>A sampling, chunking or format value out of range.</summary>
    public const string InvalidOptions = "invalid_options";

    /// <summary>The format needs an encoder this server lacks (ffmpeg not installed, or built without it): HTTP 503.</summary>
    public const string EncoderUnavailable = "encoder_unavailable";

    /// <summary>A body over the size limit (HTTP 413).</summary>
    public const string PayloadTooLarge = "payload_too_large";

    /// <summary>The cluster has no ready workers yet (HTTP 503).</summary>
    public const string NotReady = "not_ready";

    /// <summary>No ready worker or the cluster is unreachable; retryable (HTTP 503).</summary>
    public const string Unavailable = "unavailable";

    /// <summary>The gateway failed (a bug, logged) or could not reach the cluster (retryable then).</summary>
    public const string InternalError = "internal_error";

    /// <summary>The session was cancelled.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>The session ran out of time (HTTP 504).</summary>
    public const string DeadlineExceeded = "deadline_exceeded";

    /// <summary>No endpoint at the path (HTTP 404).</summary>
    public const string NotFound = "not_found";

    /// <summary>The endpoint does not take the method (HTTP 405).</summary>
    public const string MethodNotAllowed = "method_not_allowed";

    /// <summary>The request body arrived too slowly (HTTP 408).</summary>
    public const string RequestTimeout = "request_timeout";

    /// <summary>The content type is not accepted here (HTTP 415).</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>API keys are configured and the request presents none, or an unknown one (401).</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>The request presents a valid API key that does not open this path (an operator path, 403).</summary>
    public const string Forbidden = "forbidden";

    /// <summary>The API key's request rate or running contexts are used up (HTTP 429 with Retry-After; retryable).</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>The session's event stream failed or ended early (the gateway's session handle).</summary>
    public const string StreamError = "stream_error";

    /// <summary>An audio chunk never arrived (the gateway's session handle).</summary>
    public const string AudioGap = "audio_gap";

    // Session codes the gateway maps to an HTTP status (produced by the cluster).
    /// <summary>The bundle does not speak the language (HTTP 400).</summary>
    public const string UnsupportedLanguage = "unsupported_language";

    /// <summary>The text is empty (HTTP 400).</summary>
    public const string EmptyText = "empty_text";

    /// <summary>No worker can take the session (HTTP 503).</summary>
    public const string NoWorkers = "no_workers";

    /// <summary>The silo is shutting down (HTTP 503).</summary>
    public const string ShuttingDown = "shutting_down";

    // Voice enrolment codes, produced by the cluster (the engine checks the reference WAV).
    /// <summary>A voice upload is empty or not a readable WAV file (HTTP 400).</summary>
    public const string UnreadableAudio = "unreadable_audio";

    /// <summary>A valid WAV in an unsupported sample format, rate or channel count (HTTP 400).</summary>
    public const string UnsupportedAudioFormat = "unsupported_audio_format";

    /// <summary>A voice upload under 1 s of audio (HTTP 400).</summary>
    public const string ReferenceAudioTooShort = "reference_audio_too_short";

    /// <summary>A voice upload over 30 s of audio (HTTP 400).</summary>
    public const string ReferenceAudioTooLong = "reference_audio_too_long";

    /// <summary>A voice upload below -60 dBFS RMS (HTTP 400).</summary>
    public const string ReferenceAudioSilent = "reference_audio_silent";

    /// <summary>
    /// Client side only: the socket to the gateway dropped (the server restarted, the network failed) before the
    /// context ended. Retryable: the client reconnects, and a new context on the same connection works once it has.
    /// </summary>
    public const string ConnectionLost = "connection_lost";

    /// <summary>Client side only: the server broke the protocol (an audio message without its binary frame, ...).</summary>
    public const string ProtocolViolation = "protocol_violation";
}
