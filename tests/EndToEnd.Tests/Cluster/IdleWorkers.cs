using Sawt.Contracts.Workers;

namespace Sawt.EndToEnd.Tests.Cluster;

/// <summary>Asks each worker for its own load (not the registry's last report) until none holds an active or queued sequence.</summary>
internal static class IdleWorkers
{
    /// <summary>
    /// Polls every registered worker on a silo <paramref name="isRunning"/> accepts until none is busy; fails after
    /// <paramref name="bound"/>, naming the busy ones and <paramref name="why"/> they should be idle.
    /// </summary>
    public static async Task WaitAsync(IClusterClient client, Func<string, bool> isRunning, TimeSpan bound, string why, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + bound;
        IReadOnlyList<WorkerLoadReport> busy;
        do
        {
            var workers = (await client.GetGrain<IWorkerRegistryGrain>(0).List()).Where(w => isRunning(w.HostSilo));
            var loads = await Task.WhenAll(workers.Select(w => w.Kind == WorkerKind.T3
                ? client.GetGrain<IT3WorkerGrain>(w.WorkerKey).Activate()
                : client.GetGrain<IDecoderWorkerGrain>(w.WorkerKey).Activate()));
            busy = [.. loads.Where(l => l.Active > 0 || l.Queued > 0)];
            if (busy.Count == 0)
            {
                return;
            }

            await Task.Delay(200, cancellationToken);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"Workers still busy {bound.TotalSeconds} s after {why}: {string.Join(", ", busy.Select(b => $"{b.WorkerKey} active {b.Active} queued {b.Queued}"))}");
    }
}
