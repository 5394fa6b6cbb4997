using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Sawt.Contracts;
using Sawt.Contracts.Sessions;
using Sawt.Contracts.Voices;
using Sawt.Contracts.Workers;
using Sawt.Gateway.Diagnostics;
using Sawt.Gateway.Operations;

namespace Sawt.Gateway.Backend;

/// <summary>
/// Sessions on the Orleans cluster: subscribes to the session's stream first, then calls
/// <see cref="ITtsSessionGrain.Start"/>, so no event can be missed. Works in a client-only gateway and
/// co-hosted in a silo (both have <see cref="IClusterClient"/> in DI).
/// </summary>
public sealed class OrleansSessionBackend(
    IClusterClient client,
    IOptions<GatewayOptions> options,
    GatewayActivity activity,
    TimeProvider time,
    ILogger<OrleansSessionBackend> logger) : ISessionBackend
{
    public async Task<ISessionHandle> StartAsync(SessionStart start, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        var sessionId = Guid.NewGuid();
        var grain = client.GetGrain<ITtsSessionGrain>(sessionId);
        var stream = client.GetStreamProvider(StreamNames.Provider)
            .GetStream<SessionEvent>(StreamId.Create(StreamNames.SessionNamespace, sessionId));
        var handle = new OrleansSessionHandle(sessionId, grain, options.Value, time, logger);
        await handle.SubscribeAsync(stream);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Not abandoned on cancellation: a session that started must be cancelled, not orphaned.
            // Leased: should this gateway die, the session ends itself instead of speaking on for nobody.
            await grain.Start(start with { Lease = options.Value.SessionLease });
            if (cancellationToken.IsCancellationRequested)
            {
                await grain.Cancel();
                cancellationToken.ThrowIfCancellationRequested();
            }

            handle.WatchLiveness();

            // Counted as running (for the operator view) until the caller disposes it.
            return activity.Track(handle);
        }
        catch (Exception exception)
        {
            GatewayLog.SessionStartFailed(logger, sessionId, exception.GetType().Name);
            await handle.DisposeAsync();
            throw;
        }
    }

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken = default)
    {
        var workers = await client.GetGrain<IWorkerRegistryGrain>(0).List().WaitAsync(cancellationToken);
        return workers.Any(w => w.Ready && w.Kind == WorkerKind.T3)
            && workers.Any(w => w.Ready && w.Kind == WorkerKind.Decoder);
    }

    public async Task<VoiceInfo> EnrollVoiceAsync(string tenant, string voiceId, byte[] wav, CancellationToken cancellationToken = default)
    {
        var speaker = client.GetGrain<ISpeakerGrain>(VoiceKeys.Speaker(tenant, voiceId));
        await speaker.Enroll(wav).WaitAsync(cancellationToken);

        // A replace racing this call may win; its metadata is the voice's now, which is what a client should see.
        return await speaker.GetInfo().WaitAsync(cancellationToken)
            ?? throw new SessionRejectedException("unknown_voice", $"Voice '{voiceId}' was deleted while it was being enrolled.", retryable: false);
    }

    public Task<VoiceInfo?> GetVoiceAsync(string tenant, string voiceId, CancellationToken cancellationToken = default) =>
        client.GetGrain<ISpeakerGrain>(VoiceKeys.Speaker(tenant, voiceId)).GetInfo().WaitAsync(cancellationToken);

    public Task<VoicePage> ListVoicesAsync(string tenant, string? after, int limit, CancellationToken cancellationToken = default) =>
        client.GetGrain<IVoiceCatalogGrain>(VoiceKeys.Catalog(tenant)).List(after, limit).WaitAsync(cancellationToken);

    public Task<bool> DeleteVoiceAsync(string tenant, string voiceId, CancellationToken cancellationToken = default) =>
        client.GetGrain<ISpeakerGrain>(VoiceKeys.Speaker(tenant, voiceId)).Delete().WaitAsync(cancellationToken);
}
