namespace Sawt.Contracts.Voices;

/// <summary>
/// One voice, keyed by voice id. Conditionals are computed once (on a worker) and served to every node.
/// "default" is computed from the bundle's default voice on first use.
/// </summary>
[Alias("sawt.ISpeakerGrain")]
public interface ISpeakerGrain : IGrainWithStringKey
{
    /// <summary>The voice's conditionals; fails with <c>unknown_voice</c> when the voice was never enrolled.</summary>
    [Alias("GetConditionals")]
    Task<VoiceConditionalsPayload> GetConditionals();

    /// <summary>Computes and stores the voice from a reference WAV (a few seconds, any rate).</summary>
    [Alias("Enroll")]
    Task Enroll(byte[] wav);

    /// <summary>Whether the voice exists (enrolled, or the default).</summary>
    [Alias("Exists")]
    Task<bool> Exists();
}
