using Sawt.Contracts.Sessions;

namespace Sawt.Gateway.Protocol;

/// <summary>An error as clients see it: stable code, message, whether a retry may succeed, and when.</summary>
internal sealed record ApiError(string Code, string Message, bool Retryable, double? RetryAfterSeconds = null)
{
    public static ApiError From(ProtocolException exception) =>
        new(exception.Code, exception.Message, exception.Retryable, exception.RetryAfterSeconds);

    public static ApiError From(SessionRejectedException exception) =>
        new(exception.Code, exception.Message, exception.Retryable, exception.RetryAfterSeconds);

    public static ApiError From(SessionFailed failed) =>
        new(failed.Code, failed.Message, failed.Retryable, failed.RetryAfterSeconds);

    /// <summary>A backend call failed unexpectedly (the cluster is unreachable or busy restarting): retry soon.</summary>
    public static ApiError Internal() =>
        new(ErrorCodes.InternalError, "The gateway failed to reach the cluster.", true, 1);

    /// <summary>The gateway itself failed on this request (a bug, logged at Error); the same request would fail again.</summary>
    public static ApiError Unexpected() =>
        new(ErrorCodes.InternalError, "The gateway failed to handle the request; the failure is logged.", false);

    /// <summary>Retry hint in whole milliseconds, when there is one.</summary>
    public long? RetryAfterMilliseconds => RetryAfterSeconds is { } s ? (long)Math.Ceiling(s * 1000) : null;

    /// <summary>
    /// HTTP status that fits the code (docs/protocol.md): bad input 400, the documented 4xx and 5xx codes, and 500
    /// for any other code (a session code the gateway does not know is a server-side failure, not the client's).
    /// </summary>
    public int HttpStatus => Code switch
    {
        ErrorCodes.InvalidJson or ErrorCodes.InvalidRequest or ErrorCodes.InvalidText or ErrorCodes.UnknownMessageType
            or ErrorCodes.UnsupportedVersion or ErrorCodes.UnknownContext or ErrorCodes.DuplicateContext
            or ErrorCodes.TooManyContexts or ErrorCodes.TooManyMessages or ErrorCodes.UnexpectedBinary
            or ErrorCodes.TextTooLong or ErrorCodes.UnsupportedFormat or ErrorCodes.InvalidOptions
            or ErrorCodes.UnsupportedLanguage or ErrorCodes.EmptyText => 400,
        ErrorCodes.UnreadableAudio or ErrorCodes.UnsupportedAudioFormat or ErrorCodes.ReferenceAudioTooShort
            or ErrorCodes.ReferenceAudioTooLong or ErrorCodes.ReferenceAudioSilent => 400,
        ErrorCodes.Unauthorized => 401,
        ErrorCodes.Forbidden => 403,
        ErrorCodes.UnknownVoice or ErrorCodes.NotFound => 404,
        ErrorCodes.MethodNotAllowed => 405,
        ErrorCodes.RequestTimeout => 408,
        ErrorCodes.PayloadTooLarge => 413,
        ErrorCodes.UnsupportedMediaType => 415,
        ErrorCodes.Busy or ErrorCodes.RateLimited => 429,
        ErrorCodes.NotReady or ErrorCodes.Unavailable or ErrorCodes.NoWorkers or ErrorCodes.ShuttingDown
            or ErrorCodes.EncoderUnavailable => 503,
        ErrorCodes.DeadlineExceeded => 504,
        _ => 500,
    };

    /// <summary>
    /// The error for an HTTP status the framework produced without a body (no route, wrong method, a body Kestrel
    /// refused to read): the code that fits the status, so every error response has the same JSON shape.
    /// </summary>
    public static ApiError ForStatus(int status) => status switch
    {
        401 => new(ErrorCodes.Unauthorized, "A valid API key is required.", false),
        404 => new(ErrorCodes.NotFound, "No endpoint at this path; see docs/protocol.md.", false),
        405 => new(ErrorCodes.MethodNotAllowed, "This endpoint does not take that method; see the Allow header.", false),
        408 => new(ErrorCodes.RequestTimeout, "The request body did not arrive in time.", true),
        413 => new(ErrorCodes.PayloadTooLarge, "The request body is too large.", false),
        415 => new(ErrorCodes.UnsupportedMediaType, "The request's content type is not accepted here.", false),
        503 => new(ErrorCodes.Unavailable, "The gateway cannot serve the request now.", true, 1),
        >= 500 => new(ErrorCodes.InternalError, "The gateway failed to handle the request.", false),
        _ => new(ErrorCodes.InvalidRequest, "The request is malformed.", false),
    };
}
