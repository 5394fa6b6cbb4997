using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Sawt.Contracts.Workers;

namespace Sawt.Grains.Hosting;

/// <summary>
/// Once the silo is active and its engines are loaded, activates one T3 and one decoder worker per local
/// device (placement puts them here), so they start reporting load, and keeps them active for as long as the silo
/// runs: workers are never collected as idle, but should one be deactivated anyway, the next supervision round
/// brings it back. Never blocks silo start.
/// </summary>
internal sealed partial class WorkerActivator(WorkerEngines engines, IGrainFactory grains, ILocalSiloDetails silo, TimeProvider time, ILogger<WorkerActivator> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>How often the silo makes sure its workers are active (a no-op call on a live worker).</summary>
    public static readonly TimeSpan SupervisionPeriod = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stopping = new();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(WorkerActivator), ServiceLifecycleStage.Active, OnStart, OnStop);

    private Task OnStart(CancellationToken cancellationToken)
    {
        _ = ActivateWhenReady(_stopping.Token);
        return Task.CompletedTask;
    }

    private async Task OnStop(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await LeaveRegistryAsync(cancellationToken);
    }

    /// <summary>Takes this silo's workers off the registry (the drain does it first; stopping again is harmless).</summary>
    public async Task LeaveRegistryAsync(CancellationToken cancellationToken)
    {
        var registry = grains.GetGrain<IWorkerRegistryGrain>(0);
        foreach (var device in engines.Devices)
        {
            var key = WorkerKeys.Create(silo.SiloAddress.Endpoint.ToString(), device);
            try
            {
                await registry.Remove(key).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (Exception ex) when (ex is TimeoutException or OrleansException or OperationCanceledException)
            {
                // The registry may already be gone with the cluster; stale reports expire on their own.
            }
        }
    }

    private async Task ActivateWhenReady(CancellationToken cancellationToken)
    {
        try
        {
            await engines.Ready.WaitAsync(cancellationToken);
            foreach (var device in engines.Devices)
            {
                var key = WorkerKeys.Create(silo.SiloAddress.Endpoint.ToString(), device);
                await WithRetries(() => ActivateAsync(key), key, cancellationToken);
                LogWorkersActive(logger, key);
            }

            using var supervision = new PeriodicTimer(SupervisionPeriod, time);
            while (await supervision.WaitForNextTickAsync(cancellationToken))
            {
                await SuperviseAsync();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Silo stopping.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogActivationFailed(logger, ex);
        }
    }

    private async Task SuperviseAsync()
    {
        foreach (var device in engines.Devices)
        {
            var key = WorkerKeys.Create(silo.SiloAddress.Endpoint.ToString(), device);
            try
            {
                await ActivateAsync(key);
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                // Loop edge: the next round tries again; an operator sees it because the worker drops out of readiness.
                LogSupervisionFailed(logger, ex, key);
            }
        }
    }

    private async Task ActivateAsync(string key)
    {
        await grains.GetGrain<IT3WorkerGrain>(key).Activate();
        await grains.GetGrain<IDecoderWorkerGrain>(key).Activate();
    }

    /// <summary>
    /// Right after start the cluster manifest may not list this silo as compatible yet, so placement can fail
    /// transiently: retry for up to about 30 s.
    /// </summary>
    private async Task WithRetries(Func<Task> activate, string key, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await activate();
                return;
            }
            catch (Exception ex) when (attempt < 60 && ex is OrleansException or TimeoutException or InvalidOperationException)
            {
                LogActivationRetry(logger, ex, key, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
    }

    [LoggerMessage(EventId = 2020, Level = LogLevel.Information, Message = "Workers {Worker} activated")]
    private static partial void LogWorkersActive(ILogger logger, string worker);

    [LoggerMessage(EventId = 2022, Level = LogLevel.Debug, Message = "Activating workers {Worker} failed (attempt {Attempt}); retrying")]
    private static partial void LogActivationRetry(ILogger logger, Exception exception, string worker, int attempt);

    [LoggerMessage(EventId = 2023, Level = LogLevel.Warning, Message = "Workers {Worker} could not be reached to keep them active; retrying in the next round")]
    private static partial void LogSupervisionFailed(ILogger logger, Exception exception, string worker);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Error, Message = "Activating this silo's workers failed")]
    private static partial void LogActivationFailed(ILogger logger, Exception exception);
}
