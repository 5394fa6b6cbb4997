using Sawt.Protocol;

namespace Sawt.Bench.Load;

/// <summary>How an attempt ended, besides the protocol's error codes (<see cref="ErrorCodes"/>).</summary>
internal static class LoadOutcomes
{
    public const string Done = "done";

    public const string Cancelled = ErrorCodes.Cancelled;

    /// <summary>The generator's own: the attempt did not end within <c>--attempt-timeout-s</c>.</summary>
    public const string Timeout = "timeout";
}
