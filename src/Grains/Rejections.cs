using Sawt.Contracts.Sessions;
using Sawt.Inference;

namespace Sawt.Grains;

/// <summary>Maps engine errors to the wire exception grains throw.</summary>
internal static class Rejections
{
    public static SessionRejectedException From(InferenceException error) =>
        new(error.WireCode, error.Message, error.IsRetryable, error.RetryAfter?.TotalSeconds);

    /// <summary>The voice's stored record could not be read (its storage, Redis, is unreachable): retryable.</summary>
    public static SessionRejectedException VoiceStorageUnavailable(string voiceId) =>
        new("unavailable", $"Voice '{voiceId}' cannot be read while the voice storage is unreachable. Retry shortly.", retryable: true, retryAfterSeconds: 2);

    /// <summary>
    /// The worker speaking a sentence went away part-way (its silo left, or its activation was deactivated): what was
    /// heard cannot be continued elsewhere, but the utterance can be started again at once. Retryable.
    /// </summary>
    public static SessionRejectedException WorkerLost(string kind) =>
        new("unavailable", $"The {kind} worker speaking this utterance went away part-way through a sentence; start the utterance again.", retryable: true, retryAfterSeconds: 1);

    /// <summary>No ready worker of a kind: the cluster is starting, or has lost its GPU silos. Retryable.</summary>
    public static SessionRejectedException NoWorkers(string kind) =>
        new("unavailable", $"No {kind} worker is ready; the cluster is starting or has no GPU silos. Retry shortly.", retryable: true, retryAfterSeconds: 2);
}
