using Sawt.Bench.Engine;

namespace Sawt.Bench.Cluster;

/// <summary>What the cluster bench measures and how often.</summary>
internal sealed record ClusterBenchSettings
{
    /// <summary>The one bundle every engine of the run loads: a synthetic size generated for the run, or a <c>--model</c> directory.</summary>
    public required BenchBundleChoice Bundle { get; init; }

    /// <summary>Concurrent utterances per round, for the direct engine and the WebSocket (embedded topology).</summary>
    public required IReadOnlyList<int> Concurrency { get; init; }

    /// <summary>Timed rounds per concurrency; every utterance of every round is one sample.</summary>
    public required int Repeat { get; init; }

    /// <summary>Topologies to measure side by side, in this order.</summary>
    public required IReadOnlyList<ClusterTopology> Topologies { get; init; }

    /// <summary>Quiet time after the loads before the idle CPU window, so deactivations and collections it triggers are over.</summary>
    public required TimeSpan Settle { get; init; }

    /// <summary>How long idle CPU is measured.</summary>
    public required TimeSpan Idle { get; init; }

    /// <summary>Concurrent sessions for the loaded hop rows (the other hop rows run one session at a time).</summary>
    public int HopConcurrency { get; init; } = 8;

    /// <summary>Contexts and sockets of the loaded first-audio rows of the topology comparison (the 24 contexts on 8 sockets).</summary>
    public int LoadContexts { get; init; } = 24;

    public int LoadSockets { get; init; } = 8;

    public required int IntraOpThreads { get; init; }

    /// <summary>Contexts per socket at most in the direct-against-WebSocket rows, so N contexts use ceil(N / this) sockets.</summary>
    public int ContextsPerSocket { get; init; } = 8;

    public static ClusterTopology ParseTopology(string name) => name.ToLowerInvariant() switch
    {
        "embedded" => ClusterTopology.Embedded,
        "standalone" => ClusterTopology.Standalone,
        _ => throw new ArgumentException($"--topologies: '{name}' is not one of embedded, standalone."),
    };
}
