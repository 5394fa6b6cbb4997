namespace Sawt.Contracts.Workers;

/// <summary>The cluster's list of workers and their load (one activation, key 0). Sessions ask it whom to use.</summary>
[Alias("sawt.IWorkerRegistryGrain")]
public interface IWorkerRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Records a worker's latest load.</summary>
    [Alias("Report")]
    Task Report(WorkerLoadReport report);

    /// <summary>Removes a worker (its silo is shutting down).</summary>
    [Alias("Remove")]
    Task Remove(string workerKey);

    /// <summary>The least-loaded ready worker of a kind, or null when none is ready.</summary>
    [Alias("Pick")]
    Task<WorkerLoadReport?> Pick(WorkerKind kind);

    /// <summary>Every known worker with a fresh report.</summary>
    [Alias("List")]
    Task<IReadOnlyList<WorkerLoadReport>> List();
}
