using Sawt.Contracts.Workers;

namespace Sawt.Grains.Registry;

/// <summary>
/// In-memory list of workers and their latest load (key 0). Reports older than <see cref="StaleAfter"/> are
/// ignored, so a dead silo's workers drop out on their own; workers re-report every second.
/// </summary>
internal sealed class WorkerRegistryGrain(TimeProvider time) : Grain, IWorkerRegistryGrain
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(5);
    // A T3 and a decoder worker share a key (same silo and device), so entries are keyed by kind too.
    private readonly Dictionary<(WorkerKind Kind, string Key), WorkerLoadReport> _workers = [];
    private int _roundRobin;

    public Task Report(WorkerLoadReport report)
    {
        _workers[(report.Kind, report.WorkerKey)] = report;
        return Task.CompletedTask;
    }

    public Task Remove(string workerKey)
    {
        _workers.Remove((WorkerKind.T3, workerKey));
        _workers.Remove((WorkerKind.Decoder, workerKey));
        return Task.CompletedTask;
    }

    public Task<WorkerLoadReport?> Pick(WorkerKind kind)
    {
        var candidates = Fresh().Where(w => w.Kind == kind && w.Ready).ToList();
        if (candidates.Count == 0)
        {
            return Task.FromResult<WorkerLoadReport?>(null);
        }

        // Least utilised; ties rotate so equal workers share new sessions between reports.
        var lowest = candidates.Min(w => w.Utilisation);
        var tied = candidates.Where(w => w.Utilisation <= lowest + 1e-9).OrderBy(w => w.WorkerKey, StringComparer.Ordinal).ToList();
        var pick = tied[_roundRobin++ % tied.Count];
        // Count the new session until the next report, so a burst does not all land on one worker.
        _workers[(pick.Kind, pick.WorkerKey)] = pick with { Queued = pick.Queued + 1 };
        return Task.FromResult<WorkerLoadReport?>(pick);
    }

    public Task<IReadOnlyList<WorkerLoadReport>> List() =>
        Task.FromResult<IReadOnlyList<WorkerLoadReport>>(Fresh().OrderBy(w => w.WorkerKey, StringComparer.Ordinal).ToList());

    private IEnumerable<WorkerLoadReport> Fresh()
    {
        var now = time.GetUtcNow();
        return _workers.Values.Where(w => now - w.ReportedAt <= StaleAfter);
    }
}
