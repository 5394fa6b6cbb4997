using Sawt.Contracts.Sessions;

namespace Sawt.Gateway.Protocol;

/// <summary>An error as clients see it: stable code, message, whether a retry may succeed, and when.</summary>
internal sealed record ApiError(string Code, string Message, bool Retryable, double? RetryAfterSeconds = null)
{
    public static ApiError From(ProtocolException exception) => new(exception.Code, exception.Message, false);

    public static ApiError From(SessionRejectedException exception) =>
        new(exception.Code, exception.Message, exception.Retryable, exception.RetryAfterSeconds);

    public static ApiError From(SessionFailed failed) =>
        new(failed.Code, failed.Message, failed.Retryable, failed.RetryAfterSeconds);

    public static ApiError Internal() =>
        new(ErrorCodes.InternalError, "The gateway failed to reach the cluster.", true, 1);

    /// <summary>Retry hint in whole milliseconds, when there is one.</summary>
    public long? RetryAfterMilliseconds => RetryAfterSeconds is { } s ? (long)Math.Ceiling(s * 1000) : null;

    /// <summary>HTTP status that fits the code.</summary>
    public int HttpStatus => Code switch
    {
        ErrorCodes.Busy => 429,
        ErrorCodes.UnknownVoice or ErrorCodes.NotFound => 404,
        ErrorCodes.PayloadTooLarge => 413,
        ErrorCodes.NotReady or ErrorCodes.Unavailable => 503,
        ErrorCodes.DeadlineExceeded => 504,
        ErrorCodes.InternalError or "stream_error" or "audio_gap" => 500,
        _ => 400,
    };
}
