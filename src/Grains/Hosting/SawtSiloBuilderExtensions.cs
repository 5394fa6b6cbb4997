using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Configuration;
using Orleans.Runtime;
using Sawt.Cluster;
using Sawt.Contracts;
using Sawt.Grains.Diagnostics;
using Sawt.Grains.Placement;
using Sawt.Grains.Sessions;
using Sawt.Grains.Voices;
using Sawt.Grains.Workers;
using Sawt.Inference;
using Sawt.Streaming;

namespace Sawt.Grains.Hosting;

/// <summary>Registers Sawt's grains, workers, placement and session streams on a silo.</summary>
public static class SawtSiloBuilderExtensions
{
    public static ISiloBuilder AddSawt(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddOptions<WorkerOptions>().Bind(configuration.GetSection(WorkerOptions.SectionName)).ValidateOnStart();
        silo.Services.AddSingleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>();
        silo.Services.AddOptions<SessionLimits>().Bind(configuration.GetSection(SessionLimits.SectionName))
            .Validate(o => o.MaxTextChars > 0 && o.MaxAudioSeconds > 0 && o.InputIdleTimeout > TimeSpan.Zero, $"{SessionLimits.SectionName}: MaxTextChars, MaxAudioSeconds and InputIdleTimeout must be positive.")
            .Validate(o => o.ReplayBufferChunks > 0 && o.ReplayBufferBytes > 0 && o.ReplayRetention >= TimeSpan.Zero, $"{SessionLimits.SectionName}: ReplayBufferChunks and ReplayBufferBytes must be positive, ReplayRetention not negative.")
            .ValidateOnStart();
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.AddSingleton<WorkerEngines>();
        silo.Services.AddHostedService(sp => sp.GetRequiredService<WorkerEngines>());
        silo.Services.AddOptions<VoiceStoreOptions>().Bind(configuration.GetSection(VoiceStoreOptions.SectionName))
            .Validate(o => o.MemoryEntries > 0 && o.OperationTimeout > TimeSpan.Zero && o.EntryTimeToLive > TimeSpan.Zero, $"{VoiceStoreOptions.SectionName}: MemoryEntries, OperationTimeout and EntryTimeToLive must be positive.")
            .ValidateOnStart();
        silo.Services.AddSiloInstruments();
        silo.Services.AddSingleton<VoiceMemoryCache>();
        silo.Services.AddSingleton<LocalVoiceCache>();
        silo.Services.AddSingleton<WorkerActivator>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<WorkerActivator>());
        silo.Services.AddOptions<SawtClusterOptions>().Bind(configuration.GetSection(SawtClusterOptions.SectionName))
            .Validate(o => o.DrainTimeout >= TimeSpan.Zero, $"{SawtClusterOptions.SectionName}:DrainTimeout must not be negative.")
            .ValidateOnStart();
        silo.Services.AddSingleton<SiloDrain>();
        silo.Services.AddSingleton<SiloDrainParticipant>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SiloDrainParticipant>());
        silo.Services.AddHostedService(sp => sp.GetRequiredService<SiloDrainParticipant>());
        silo.AddPlacementDirector<SessionPlacement, SessionPlacementDirector>();
        silo.AddPlacementDirector<GpuWorkerPlacement, GpuWorkerPlacementDirector>();
        // Stream subscriptions stay in memory even with Redis: session streams live for one utterance, and a Redis
        // write per subscription would add a round trip to every session's start and leave a key per session.
        silo.AddMemoryGrainStorage("PubSubStore");
        silo.AddSawtGrainStorage(SpeakerGrain.StorageName, configuration);

        // After the storage: it registers the shared connection when Redis is configured; without one the store is memory only.
        silo.Services.AddSingleton(sp => new RedisVoiceStore(
            sp.GetService<SawtRedis>(),
            sp.GetRequiredService<VoiceInstruments>(),
            sp.GetRequiredService<IOptions<VoiceStoreOptions>>(),
            sp.GetRequiredService<ILogger<RedisVoiceStore>>()));

        // Read while building: the provider's options are fixed when it is registered.
        var streams = configuration.GetSection(SessionStreamOptions.SectionName).Get<SessionStreamOptions>() ?? new SessionStreamOptions();
        try
        {
            silo.AddLongPollStreams(StreamNames.Provider, streams.ToProviderOptions());
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new InvalidOperationException($"{SessionStreamOptions.SectionName}: {ex.Message}", ex);
        }

        return silo;
    }

    /// <summary>The silo's meters and span sources, and their registration with the host's OpenTelemetry providers.</summary>
    internal static IServiceCollection AddSiloInstruments(this IServiceCollection services)
    {
        services.AddSingleton<VoiceInstruments>();
        services.AddSingleton<SessionInstruments>();
        services.AddSingleton<WorkerInstruments>();
        services.AddSingleton<GrainTracing>();

        // Picked up by the host's OpenTelemetry providers (ServiceDefaults); no effect on a host without them.
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(GrainTracing.SourceName, InferenceTelemetry.SourceName));

        // Only the meters this host's IMeterFactory created. A provider that adds a meter by name listens to every
        // meter of that name in the process: with several silos in one process (tests, or two on one node) it would
        // export another silo's values as its own, and lose a metric when the silo that registered it first stopped.
        services.AddMetrics(metrics => metrics
            .EnableMetrics(SessionInstruments.MeterName, instrumentName: null, listenerName: null, MeterScope.Local)
            .EnableMetrics(WorkerInstruments.MeterName, instrumentName: null, listenerName: null, MeterScope.Local)
            .EnableMetrics(VoiceInstruments.MeterName, instrumentName: null, listenerName: null, MeterScope.Local));
        return services;
    }
}
