namespace Sawt.Bench.Cluster;

/// <summary>How the cluster under test is laid out.</summary>
internal enum ClusterTopology
{
    /// <summary>The embedded default in the bench process: one silo, its CPU workers and the gateway on one Kestrel server.</summary>
    Embedded,

    /// <summary>The production shape: a silo process without a gateway, and a standalone gateway process beside it.</summary>
    Standalone,
}
