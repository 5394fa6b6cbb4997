using Sawt.Contracts.Sessions;

namespace Sawt.Gateway.Backend;

/// <summary>
/// What the gateway needs from the cluster: start sessions, readiness, voices. The Orleans implementation is
/// <see cref="OrleansSessionBackend"/>; tests substitute a fake.
/// </summary>
public interface ISessionBackend
{
    /// <summary>
    /// Starts a session and returns its handle, already subscribed to its events. Bad input or no capacity
    /// throws <see cref="SessionRejectedException"/> (nothing to dispose then). Caller disposes the handle.
    /// </summary>
    Task<ISessionHandle> StartAsync(SessionStart start, CancellationToken cancellationToken = default);

    /// <summary>Whether the cluster can synthesize now (ready T3 and decoder workers).</summary>
    Task<bool> IsReadyAsync(CancellationToken cancellationToken = default);

    /// <summary>Enrolls a voice from a reference WAV; failures throw <see cref="SessionRejectedException"/>.</summary>
    Task EnrollVoiceAsync(string voiceId, byte[] wav, CancellationToken cancellationToken = default);

    /// <summary>Whether a voice is known (enrolled, or the default).</summary>
    Task<bool> VoiceExistsAsync(string voiceId, CancellationToken cancellationToken = default);
}
