using Sawt.Contracts.Workers;

namespace Sawt.Grains.Sessions;

/// <summary>
/// The worker of one kind a session uses, replaced when it goes away: a worker whose silo's drain ran out (its calls
/// refused with <c>shutting_down</c>) or whose silo left the cluster (its calls fail inside Orleans) is swapped for the
/// registry's next pick, so a session that spans a silo's shutdown goes on elsewhere. Callers retry only what nobody
/// has heard yet (a decode call; a segment before its first tokens). Used on the session's activation only.
/// </summary>
internal sealed class WorkerChoice<TWorker>(TWorker initial, WorkerKind kind, IGrainFactory grains, Func<string, TWorker> resolve)
    where TWorker : class
{
    /// <summary>Replacements per session: a cluster losing silos faster than this ends the session (retryably).</summary>
    public const int MaxReplacements = 4;

    private int _replacements;

    public TWorker Current { get; private set; } = initial;

    /// <summary>
    /// The worker to use instead of <paramref name="failed"/>: the current one when an earlier failure already replaced
    /// it, else the registry's pick; null when no other worker is ready or the budget is spent (the caller rethrows).
    /// </summary>
    public async Task<TWorker?> ReplaceAsync(TWorker failed)
    {
        if (!failed.Equals(Current))
        {
            return Current;
        }

        if (++_replacements > MaxReplacements)
        {
            return null;
        }

        var pick = await grains.GetGrain<IWorkerRegistryGrain>(0).Pick(kind);
        if (pick is null)
        {
            return null;
        }

        Current = resolve(pick.WorkerKey);
        return Current;
    }
}
