using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Runtime;
using Sawt.Contracts;
using Sawt.Grains.Placement;
using Sawt.Grains.Sessions;
using Sawt.Grains.Voices;

namespace Sawt.Grains.Hosting;

/// <summary>Registers Sawt's grains, workers, placement and session streams on a silo.</summary>
public static class SawtSiloBuilderExtensions
{
    /// <summary>
    /// Default of <see cref="SessionStreamOptions.PollPeriod"/>: how often memory-stream pulling agents look for new
    /// events; sets the stream hop latency floor.
    /// </summary>
    public static readonly TimeSpan StreamPollPeriod = TimeSpan.FromMilliseconds(5);

    public static ISiloBuilder AddSawt(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddOptions<WorkerOptions>().Bind(configuration.GetSection(WorkerOptions.SectionName));
        silo.Services.AddOptions<SessionLimits>().Bind(configuration.GetSection(SessionLimits.SectionName));
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.AddSingleton<WorkerEngines>();
        silo.Services.AddHostedService(sp => sp.GetRequiredService<WorkerEngines>());
        silo.Services.AddSingleton<LocalVoiceCache>();
        silo.Services.AddSingleton<WorkerActivator>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<WorkerActivator>());
        silo.AddPlacementDirector<GpuWorkerPlacement, GpuWorkerPlacementDirector>();
        silo.AddMemoryGrainStorage("PubSubStore");

        // Read while building: the pulling agent's options are fixed when the provider is registered.
        var pollPeriod = configuration.GetSection(SessionStreamOptions.SectionName).Get<SessionStreamOptions>()?.PollPeriod ?? StreamPollPeriod;
        if (pollPeriod <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{SessionStreamOptions.SectionName}:PollPeriod must be positive; got {pollPeriod}.");
        }

        silo.AddMemoryStreams(StreamNames.Provider, streams =>
        {
            // Memory streams poll their queues; the default period adds tens of milliseconds per chunk hop.
            streams.ConfigurePullingAgent(o => o.Configure(p => p.GetQueueMsgsTimerPeriod = pollPeriod));
        });
        return silo;
    }
}
