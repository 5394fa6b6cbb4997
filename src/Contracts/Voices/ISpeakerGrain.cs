namespace Sawt.Contracts.Voices;

/// <summary>
/// One voice, keyed by <see cref="VoiceKeys.Speaker"/> (tenant-scoped voice id). Conditionals are computed once (on a worker) and served to every node.
/// "default" is computed from each worker's bundle and needs no enrolment.
/// </summary>
[Alias("sawt.ISpeakerGrain")]
public interface ISpeakerGrain : IGrainWithStringKey
{
    /// <summary>
    /// The voice's conditionals for the bundle named <paramref name="bundleId"/> (the speech encoder's identity): from
    /// the voice store (the speaker's silo's memory, then Redis when configured), else computed once on the T3 worker
    /// <paramref name="workerKey"/>, which must run that bundle, and stored. Concurrent callers share one computation.
    /// Fails with <c>unknown_voice</c> when the voice was never enrolled.
    /// </summary>
    [Alias("GetConditionalsFor")]
    Task<SpeakerVoice> GetConditionalsFor(string bundleId, string workerKey);

    /// <summary>
    /// Computes the voice from a reference WAV (a few seconds, any rate) and stores it, replacing an earlier
    /// enrolment. Returns the new revision; sessions that start afterwards use it on every silo.
    /// </summary>
    [Alias("Enroll")]
    Task<string> Enroll(byte[] wav);

    /// <summary>Whether the voice exists (enrolled, or the default).</summary>
    [Alias("Exists")]
    Task<bool> Exists();

    /// <summary>The current revision of the voice, or null when it does not exist. Sessions pin it at start.</summary>
    [Alias("GetRevision")]
    Task<string?> GetRevision();

    /// <summary>
    /// The voice's metadata, or null when it does not exist. The default voice is read-only; a voice enrolled before
    /// metadata was kept reports its revision only.
    /// </summary>
    [Alias("GetInfo")]
    Task<VoiceInfo?> GetInfo();

    /// <summary>
    /// Deletes the voice and removes it from its tenant's catalog; sessions that start afterwards get
    /// <c>unknown_voice</c>. Returns false when there was no such voice; the default voice cannot be deleted
    /// (<c>invalid_request</c>).
    /// </summary>
    [Alias("Delete")]
    Task<bool> Delete();
}
