using Sawt.Contracts.Sessions;
using Sawt.Contracts.Voices;

namespace Sawt.Gateway.Backend;

/// <summary>
/// A backend bound to one caller's tenant: every session it starts carries that tenant, so a WebSocket's contexts
/// resolve voices among their tenant's voices without each runner knowing about tenants.
/// </summary>
internal sealed class TenantSessionBackend(ISessionBackend inner, string sessionTenant) : ISessionBackend
{
    public Task<ISessionHandle> StartAsync(SessionStart start, CancellationToken cancellationToken = default) =>
        inner.StartAsync(start with { Tenant = sessionTenant }, cancellationToken);

    public Task<bool> IsReadyAsync(CancellationToken cancellationToken = default) => inner.IsReadyAsync(cancellationToken);

    public Task<VoiceInfo> EnrollVoiceAsync(string tenant, string voiceId, byte[] wav, CancellationToken cancellationToken = default) =>
        inner.EnrollVoiceAsync(tenant, voiceId, wav, cancellationToken);

    public Task<VoiceInfo?> GetVoiceAsync(string tenant, string voiceId, CancellationToken cancellationToken = default) =>
        inner.GetVoiceAsync(tenant, voiceId, cancellationToken);

    public Task<VoicePage> ListVoicesAsync(string tenant, string? after, int limit, CancellationToken cancellationToken = default) =>
        inner.ListVoicesAsync(tenant, after, limit, cancellationToken);

    public Task<bool> DeleteVoiceAsync(string tenant, string voiceId, CancellationToken cancellationToken = default) =>
        inner.DeleteVoiceAsync(tenant, voiceId, cancellationToken);
}
