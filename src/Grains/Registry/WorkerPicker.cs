using Sawt.Contracts.Workers;

namespace Sawt.Grains.Registry;

/// <summary>
/// Which worker takes the next session: the least loaded, counting active and queued work relative to capacity plus
/// the picks made since that worker's last report (a burst of sessions arrives faster than reports). Among equally
/// loaded workers the one picked longest ago wins, so consecutive picks under equal load go round the workers
/// instead of all landing on the first. Pure and single-threaded (the registry grain's turns); no clock.
/// </summary>
internal sealed class WorkerPicker
{
    /// <summary>Loads closer than this are equal (utilisations are small fractions such as 1/32).</summary>
    private const double Tolerance = 1e-9;

    // Picks not yet reflected in a report, per worker; a report replaces the estimate with the worker's own count.
    private readonly Dictionary<(WorkerKind Kind, string Key), int> _pending = [];

    // When each worker was last picked (a running number); never picked counts as oldest.
    private readonly Dictionary<(WorkerKind Kind, string Key), long> _lastPicked = [];
    private long _picks;

    /// <summary>A fresh report: its active and queued counts now include whatever the picks had sent there.</summary>
    public void Observe(WorkerLoadReport report) => _pending.Remove((report.Kind, report.WorkerKey));

    /// <summary>Forgets a worker that left (both kinds).</summary>
    public void Forget(string workerKey)
    {
        foreach (var kind in Enum.GetValues<WorkerKind>())
        {
            _pending.Remove((kind, workerKey));
            _lastPicked.Remove((kind, workerKey));
        }
    }

    /// <summary>The load the picker assumes: (active + queued + pending picks) / capacity; no capacity is full.</summary>
    public double Load(WorkerLoadReport worker) => worker.Capacity <= 0
        ? double.MaxValue
        : (double)(worker.Active + worker.Queued + _pending.GetValueOrDefault((worker.Kind, worker.WorkerKey))) / worker.Capacity;

    /// <summary>Picks one of <paramref name="candidates"/> (ready workers of one kind) and counts the pick; null when there are none.</summary>
    public WorkerLoadReport? Pick(IReadOnlyCollection<WorkerLoadReport> candidates)
    {
        WorkerLoadReport? best = null;
        var bestLoad = double.MaxValue;
        var bestPicked = long.MaxValue;
        foreach (var worker in candidates)
        {
            var load = Load(worker);
            var picked = _lastPicked.GetValueOrDefault((worker.Kind, worker.WorkerKey), -1);
            var better = best is null
                || load < bestLoad - Tolerance
                || (load <= bestLoad + Tolerance && (picked < bestPicked
                    || (picked == bestPicked && string.CompareOrdinal(worker.WorkerKey, best.WorkerKey) < 0)));
            if (better)
            {
                best = worker;
                bestLoad = load;
                bestPicked = picked;
            }
        }

        if (best is not null)
        {
            var id = (best.Kind, best.WorkerKey);
            _pending[id] = _pending.GetValueOrDefault(id) + 1;
            _lastPicked[id] = ++_picks;
        }

        return best;
    }
}
