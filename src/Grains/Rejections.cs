using Sawt.Contracts.Sessions;
using Sawt.Inference;

namespace Sawt.Grains;

/// <summary>Maps engine errors to the wire exception grains throw.</summary>
internal static class Rejections
{
    public static SessionRejectedException From(InferenceException error) =>
        new(error.WireCode, error.Message, error.IsRetryable, error.RetryAfter?.TotalSeconds);

    public static SessionRejectedException NoWorkers(string kind) =>
        new("no_workers", $"No {kind} worker is ready yet; the cluster is starting or has no GPU silos.", retryable: true, retryAfterSeconds: 2);
}
