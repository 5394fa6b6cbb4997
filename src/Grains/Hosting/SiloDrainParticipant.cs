using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Sawt.Cluster;

namespace Sawt.Grains.Hosting;

/// <summary>
/// Runs the <see cref="SiloDrain"/> once when the silo stops: marks it draining, takes its workers off the registry's
/// pick list, then waits for (or ends) what still runs. It starts at the host's stopping (before the web server stops,
/// so <c>/readyz</c> answers <c>draining</c> meanwhile) and, for a silo stopped without its host, at the first silo
/// lifecycle stage to stop; either way before the stream agents stop and the silo leaves the cluster.
/// </summary>
internal sealed class SiloDrainParticipant(SiloDrain drain, WorkerActivator workers, IOptions<SawtClusterOptions> cluster)
    : ILifecycleParticipant<ISiloLifecycle>, IHostedLifecycleService
{
    /// <summary>
    /// Above <see cref="ServiceLifecycleStage.Active"/>, so it stops before the stream pulling agents (stopped at Active)
    /// and before membership announces the silo shutting down: the utterances it waits for can still call workers and
    /// publish their audio and final events.
    /// </summary>
    public const int Stage = ServiceLifecycleStage.Active + 1;

    private readonly Lock _gate = new();
    private Task? _draining;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloDrain), Stage, _ => Task.CompletedTask, DrainOnceAsync);

    public Task StoppingAsync(CancellationToken cancellationToken) => DrainOnceAsync(cancellationToken);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The one drain; a second caller (the lifecycle stage after the host's stopping) waits for the first.</summary>
    private Task DrainOnceAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _draining ??= DrainAsync(cancellationToken);
        }
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        drain.Begin();
        await workers.LeaveRegistryAsync(cancellationToken);
        await drain.DrainAsync(cluster.Value.DrainTimeout, cancellationToken);
    }
}
