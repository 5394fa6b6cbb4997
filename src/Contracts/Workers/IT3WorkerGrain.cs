namespace Sawt.Contracts.Workers;

/// <summary>
/// Speech-token generation on one GPU (or a silo's CPU), pinned to its silo by key (see <see cref="WorkerKeys"/>).
/// Owns that device's continuous-batching loop; GPU work never runs on the grain scheduler.
/// </summary>
[Alias("sawt.IT3WorkerGrain")]
public interface IT3WorkerGrain : IGrainWithStringKey
{
    /// <summary>Activates the worker and starts its load reports.</summary>
    [Alias("Activate")]
    Task<WorkerLoadReport> Activate();

    /// <summary>
    /// Speech tokens in batches as they are generated, ending when the model stops. Failures carry a
    /// <c>SessionRejectedException</c> code (e.g. <c>busy</c>); cancelling stops generation within one step.
    /// </summary>
    [Alias("Generate")]
    IAsyncEnumerable<TokenBatch> Generate(T3Job job, CancellationToken cancellationToken = default);

    /// <summary>Runs the speech encoder on a reference WAV (any rate) and returns the conditionals.</summary>
    [Alias("EncodeVoice")]
    Task<Voices.VoiceConditionalsPayload> EncodeVoice(byte[] wav, CancellationToken cancellationToken = default);

    /// <summary>The identity of this worker's bundle (its speech encoder), which keys stored voice conditionals.</summary>
    [Alias("GetBundleIdentity")]
    Task<string> GetBundleIdentity();

    /// <summary>
    /// Drops a voice's conditionals from this worker's silo's memory, except those of <paramref name="keepRevision"/>
    /// (the voice's new revision after a replacement; null after a deletion).
    /// </summary>
    [Alias("ForgetVoice")]
    Task ForgetVoice(string voiceKey, string? keepRevision);

    /// <summary>This worker's silo's voice store counters (every worker of a silo reports the same numbers).</summary>
    [Alias("GetVoiceStoreStats")]
    Task<Voices.VoiceStoreStats> GetVoiceStoreStats();
}
