using Sawt.Contracts.Sessions;
using Sawt.Grains.Hosting;

namespace Sawt.Grains.Sessions;

/// <summary>Which worker failures mean the worker went away (see <see cref="WorkerChoice{TWorker}"/>).</summary>
internal static class WorkerFailures
{
    /// <summary>
    /// Its silo drained (ran out of drain time) or left the cluster, or its activation was deactivated under a running
    /// call (Orleans does that to every activation whose directory entry a leaving silo owned; a streamed call then ends
    /// with <see cref="EnumerationAbortedException"/>, which is no <see cref="OrleansException"/>, or, when the worker's
    /// side cancelled the enumeration as its activation went, with a bare <see cref="OperationCanceledException"/>):
    /// another worker, or a new activation, may serve the same call. Callers check their own token first: a
    /// cancellation they asked for is theirs, not the worker's.
    /// </summary>
    public static bool IsWorkerGone(Exception exception) =>
        exception is SessionRejectedException { Code: SiloDrain.ShuttingDownCode } or OrleansException or EnumerationAbortedException or OperationCanceledException;
}
