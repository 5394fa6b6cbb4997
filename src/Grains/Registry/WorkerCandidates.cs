using Sawt.Contracts.Workers;

namespace Sawt.Grains.Registry;

/// <summary>
/// Which reported workers may take a session. A recent report is the usual proof of life. A worker whose reports are
/// late (its silo so saturated that its one-second report timer runs seconds behind) is still alive while its silo is
/// an active cluster member: when no worker of a kind has reported recently, those are the candidates, so a full
/// cluster answers from its workers (busy) instead of claiming it has none (unavailable). A dead silo's workers drop
/// out once membership declares it dead, or after <see cref="LateLimit"/> at the latest. Pure; no clock.
/// </summary>
internal static class WorkerCandidates
{
    /// <summary>A report younger than this proves its worker alive on its own.</summary>
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(5);

    /// <summary>A report older than this is ignored even while its silo is a member.</summary>
    public static readonly TimeSpan LateLimit = TimeSpan.FromSeconds(60);

    /// <summary>The ready workers of <paramref name="kind"/> to pick from.</summary>
    public static List<WorkerLoadReport> Select(IEnumerable<WorkerLoadReport> reports, WorkerKind kind, DateTimeOffset now, Func<string, bool> siloIsActive)
    {
        var ready = reports.Where(w => w.Kind == kind && w.Ready).ToList();
        var fresh = ready.Where(w => now - w.ReportedAt <= FreshFor).ToList();
        return fresh.Count > 0
            ? fresh
            : ready.Where(w => now - w.ReportedAt <= LateLimit && siloIsActive(w.HostSilo)).ToList();
    }
}
