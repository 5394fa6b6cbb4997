using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Hosting;

namespace Sawt.Streaming;

/// <summary>Registers a long-poll stream provider on silos and clients.</summary>
public static class LongPollStreamsExtensions
{
    /// <summary>
    /// Adds the provider to a silo: pulling agents that wait on their queues, a cache that lets go of delivered
    /// events. Needs a <c>PubSubStore</c> grain storage, as every persistent stream provider does.
    /// </summary>
    public static ISiloBuilder AddLongPollStreams(this ISiloBuilder silo, string name, LongPollStreamOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var settings = options ?? new LongPollStreamOptions();
        settings.Validate();
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.TryAddSingleton(new LongPollQueueLimit(settings.MaxQueuedEvents));
        silo.AddPersistentStreams(name, (services, providerName) => Create(services, providerName, settings), stream =>
            stream.ConfigurePullingAgent(agent => agent.Configure(o =>
            {
                // The reads themselves wait for events; the timer only restarts a read that paused.
                o.GetQueueMsgsTimerPeriod = settings.RestartDelay;
                o.StreamInactivityPeriod = settings.StreamInactivityPeriod;
            })));
        return silo;
    }

    /// <summary>Adds the provider to a client, so it can subscribe to (and publish on) the silos' streams.</summary>
    public static IClientBuilder AddLongPollStreams(this IClientBuilder client, string name, LongPollStreamOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var settings = options ?? new LongPollStreamOptions();
        settings.Validate();
        client.Services.TryAddSingleton(TimeProvider.System);
        client.AddPersistentStreams(name, (services, providerName) => Create(services, providerName, settings), _ => { });
        return client;
    }

    private static LongPollQueueAdapterFactory Create(IServiceProvider services, string name, LongPollStreamOptions options) =>
        new(name, options, services.GetRequiredService<IGrainFactory>(), services.GetRequiredService<TimeProvider>());
}
