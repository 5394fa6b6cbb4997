using Sawt.Contracts.Sessions;
using Sawt.Grains.Hosting;

namespace Sawt.Grains.Sessions;

/// <summary>Which worker failures mean the worker went away (see <see cref="WorkerChoice{TWorker}"/>).</summary>
internal static class WorkerFailures
{
    /// <summary>Its silo drained (ran out of drain time) or left the cluster: another worker may serve the same call.</summary>
    public static bool IsWorkerGone(Exception exception) =>
        exception is SessionRejectedException { Code: SiloDrain.ShuttingDownCode } or OrleansException;
}
