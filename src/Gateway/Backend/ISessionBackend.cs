using Sawt.Contracts.Sessions;
using Sawt.Contracts.Voices;

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

    /// <summary>
    /// Enrolls (creates or replaces) <paramref name="voiceId"/> of <paramref name="tenant"/> from a reference WAV and
    /// returns its metadata; failures (the audio checks, the default voice) throw <see cref="SessionRejectedException"/>.
    /// </summary>
    Task<VoiceInfo> EnrollVoiceAsync(string tenant, string voiceId, byte[] wav, CancellationToken cancellationToken = default);

    /// <summary>A voice's metadata in <paramref name="tenant"/> (the default voice in every tenant), or null when unknown there.</summary>
    Task<VoiceInfo?> GetVoiceAsync(string tenant, string voiceId, CancellationToken cancellationToken = default);

    /// <summary>A page of <paramref name="tenant"/>'s enrolled voices (not the default), ordered by id, after <paramref name="after"/>.</summary>
    Task<VoicePage> ListVoicesAsync(string tenant, string? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>Deletes a voice of <paramref name="tenant"/>; false when it has no such voice.</summary>
    Task<bool> DeleteVoiceAsync(string tenant, string voiceId, CancellationToken cancellationToken = default);
}
