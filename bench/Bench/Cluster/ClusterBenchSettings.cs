using Sawt.Bench.Engine;

namespace Sawt.Bench.Cluster;

/// <summary>What the cluster bench measures and how often.</summary>
internal sealed record ClusterBenchSettings
{
    public required BenchBundleSize Size { get; init; }

    /// <summary>Concurrent utterances per round, for the direct engine and the WebSocket.</summary>
    public required IReadOnlyList<int> Concurrency { get; init; }

    /// <summary>Timed rounds per concurrency; every utterance of every round is one sample.</summary>
    public required int Repeat { get; init; }

    /// <summary>Stream poll periods to compare; the first is the one the WebSocket rows run at.</summary>
    public required IReadOnlyList<TimeSpan> PollPeriods { get; init; }

    /// <summary>Concurrent sessions for the loaded hop rows (the other hop rows run one session at a time).</summary>
    public int HopConcurrency { get; init; } = 8;

    public required int IntraOpThreads { get; init; }

    /// <summary>Contexts per socket at most, so N contexts use ceil(N / this) sockets.</summary>
    public int ContextsPerSocket { get; init; } = 8;
}
