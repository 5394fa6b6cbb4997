namespace Sawt.Bench.Cluster;

/// <summary>A started topology: where its WebSocket is, the client the hop rows subscribe through, the processes its idle CPU is read from.</summary>
internal interface IRunningTopology : IAsyncDisposable
{
    ClusterTopology Topology { get; }

    /// <summary>The gateway's <c>/v1/ws</c> address.</summary>
    Uri WebSocketUri { get; }

    /// <summary>An Orleans client placed where the topology's gateway subscribes to session streams.</summary>
    IClusterClient Client { get; }

    /// <summary>The processes that make up the topology (the bench process itself where it hosts the cluster).</summary>
    IReadOnlyList<MeasuredProcess> Processes { get; }

    /// <summary>Stops whatever the bench added to make its measurements (its own Orleans client), before the idle window.</summary>
    ValueTask ReleaseClientAsync();
}

/// <summary>A process of a topology and a reader of its CPU time (user plus kernel, all threads) so far.</summary>
internal sealed record MeasuredProcess(string Name, Func<TimeSpan> ProcessorTime);
