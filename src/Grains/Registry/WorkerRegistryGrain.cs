using Orleans.Concurrency;
using Orleans.Runtime;
using Sawt.Contracts.Workers;
using Sawt.Grains.Workers;

namespace Sawt.Grains.Registry;

/// <summary>
/// In-memory list of workers and their latest load (key 0). Workers re-report every second; which reports still count
/// is <see cref="WorkerCandidates"/>' rule, so a dead silo's workers drop out on their own. Nothing is persisted: a
/// new activation (after a silo failure or a deactivation) rebuilds the list from the next round of reports, and a
/// <see cref="Pick"/> in that first round waits for them instead of answering "none".
/// </summary>
[Reentrant] // Only the rebuild wait awaits, and reports must get in meanwhile; no state change spans an await.
internal sealed class WorkerRegistryGrain(TimeProvider time, IClusterMembershipService membership) : Grain, IWorkerRegistryGrain
{
    private static readonly TimeSpan StaleAfter = WorkerCandidates.FreshFor;

    /// <summary>Every live worker reports within this time of the registry's activation.</summary>
    private static readonly TimeSpan RebuildWindow = WorkerLoadPublisher.Period * 2;

    // A T3 and a decoder worker share a key (same silo and device), so entries are keyed by kind too.
    private readonly Dictionary<(WorkerKind Kind, string Key), WorkerLoadReport> _workers = [];
    private TaskCompletionSource _reported = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly WorkerPicker _picker = new();

    // Workers removed (their silo is draining) and when: a ready report sent before the removal but arriving after it
    // must not put the worker back on the pick list. Its silo reports it not ready from the removal on.
    private readonly Dictionary<string, long> _removedAt = new(StringComparer.Ordinal);
    private long _activatedAt;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _activatedAt = time.GetTimestamp();
        return Task.CompletedTask;
    }

    public Task Report(WorkerLoadReport report)
    {
        if (report.Ready && _removedAt.TryGetValue(report.WorkerKey, out var removedAt))
        {
            if (time.GetElapsedTime(removedAt) < StaleAfter)
            {
                return Task.CompletedTask;
            }

            // Long after the removal: the silo came back on the same endpoint.
            _removedAt.Remove(report.WorkerKey);
        }

        _workers[(report.Kind, report.WorkerKey)] = report;
        _picker.Observe(report);
        var reported = _reported;
        _reported = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        reported.TrySetResult();
        return Task.CompletedTask;
    }

    public Task Remove(string workerKey)
    {
        _workers.Remove((WorkerKind.T3, workerKey));
        _workers.Remove((WorkerKind.Decoder, workerKey));
        _picker.Forget(workerKey);
        _removedAt[workerKey] = time.GetTimestamp();
        return Task.CompletedTask;
    }

    public async Task<WorkerLoadReport?> Pick(WorkerKind kind)
    {
        await WhileRebuilding(() => Candidates(kind).Count == 0);
        // Every ready worker of every device of every silo competes; see WorkerPicker for load and ties.
        return _picker.Pick(Candidates(kind));
    }

    public async Task<IReadOnlyList<WorkerLoadReport>> List()
    {
        // A list must be complete, and only the whole window guarantees every live worker has reported.
        await WhileRebuilding(() => true);
        return [.. Fresh().OrderBy(w => w.WorkerKey, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Right after activation the list fills as the workers' next reports arrive: while <paramref name="missing"/>
    /// holds within the rebuild window, wait for reports instead of answering from a partial list.
    /// </summary>
    private async Task WhileRebuilding(Func<bool> missing)
    {
        while (missing() && time.GetElapsedTime(_activatedAt) is var age && age < RebuildWindow)
        {
            await _reported.Task.WaitAsync(RebuildWindow - age, time)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }
    }

    private List<WorkerLoadReport> Candidates(WorkerKind kind)
    {
        var active = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => m.SiloAddress.Endpoint.ToString())
            .ToHashSet(StringComparer.Ordinal);
        return WorkerCandidates.Select(_workers.Values, kind, time.GetUtcNow(), active.Contains);
    }

    private IEnumerable<WorkerLoadReport> Fresh()
    {
        var now = time.GetUtcNow();
        return _workers.Values.Where(w => now - w.ReportedAt <= StaleAfter);
    }
}
