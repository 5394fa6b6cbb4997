namespace Sawt.Inference;

/// <summary>
/// The one exception type the engine throws for expected failures (bad bundle, bad input, provider
/// unavailable, native errors). <see cref="Code"/> is stable; the message is for humans and names the
/// file and tensor where one is involved.
/// </summary>
public sealed class InferenceException : Exception
{
    public InferenceException(InferenceErrorCode code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    public InferenceErrorCode Code { get; }

    /// <summary>For <see cref="InferenceErrorCode.Busy"/>: when a retry is likely to be admitted.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Whether the same request may succeed later (capacity, shutdown) as opposed to never (bad input).</summary>
    public bool IsRetryable => Code is InferenceErrorCode.Busy or InferenceErrorCode.ShuttingDown or InferenceErrorCode.RuntimeFailure;

    /// <summary>The stable wire name of <see cref="Code"/>, e.g. <c>unsupported_language</c>.</summary>
    public string WireCode => Code.ToWireName();
}
