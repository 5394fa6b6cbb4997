namespace Sawt.Contracts.Sessions;

/// <summary>A session refused a request: bad input, unknown voice, or no capacity. Carries a stable code.</summary>
[GenerateSerializer, Alias("sawt.session-rejected")]
public sealed class SessionRejectedException : Exception
{
    /// <summary>Serialization and framework use; code <c>internal_error</c>.</summary>
    public SessionRejectedException()
    {
        Code = "internal_error";
    }

    /// <summary>An internal error with a message.</summary>
    public SessionRejectedException(string message)
        : base(message)
    {
        Code = "internal_error";
    }

    /// <summary>An internal error with a message and cause.</summary>
    public SessionRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "internal_error";
    }

    /// <summary>A refusal with a stable code.</summary>
    public SessionRejectedException(string code, string message, bool retryable, double? retryAfterSeconds = null)
        : base(message)
    {
        Code = code;
        Retryable = retryable;
        RetryAfterSeconds = retryAfterSeconds;
    }

    /// <summary>Stable snake_case code, e.g. <c>unsupported_language</c>.</summary>
    [Id(0)] public string Code { get; private set; }

    /// <summary>Whether the same request may succeed later.</summary>
    [Id(1)] public bool Retryable { get; private set; }

    /// <summary>For <c>busy</c>: seconds until a retry is likely to be admitted.</summary>
    [Id(2)] public double? RetryAfterSeconds { get; private set; }
}
