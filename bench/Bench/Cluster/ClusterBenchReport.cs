using Sawt.Bench.Reporting;

namespace Sawt.Bench.Cluster;

/// <summary>Everything the cluster bench measured.</summary>
internal sealed record ClusterBenchReport(
    ClusterBenchSettings Settings,
    double? GenerateSeconds,
    IReadOnlyList<LatencyMeasurement> Direct,
    IReadOnlyList<LatencyMeasurement> WebSocket,
    IReadOnlyList<TopologyMeasurement> Topologies);

/// <summary>
/// One topology: WebSocket first audio at one context and under load, stream hops at one session and under load,
/// and each of its processes' idle CPU afterwards.
/// </summary>
internal sealed record TopologyMeasurement(
    ClusterTopology Topology,
    IReadOnlyList<LatencyMeasurement> FirstAudio,
    IReadOnlyList<HopMeasurement> Hops,
    IReadOnlyList<IdleCpu> Idle)
{
    public string Name => Topology.ToString().ToLowerInvariant();
}

/// <summary>
/// One concurrency on one path: time to first audio and total per utterance, in milliseconds from the request
/// (the <c>StreamAsync</c> call, or the <c>synthesize</c> send) to the first chunk with audio and to the end
/// (the stream's end, or <c>done</c>). <see cref="SessionFirstAudio"/> is the session's own first-audio time as
/// <c>done</c> reports it (WebSocket only). <see cref="AudioMilliseconds"/> is per utterance, to check both paths did the same work.
/// </summary>
internal sealed record LatencyMeasurement(
    int Concurrency,
    int Sockets,
    Summary FirstAudio,
    Summary Total,
    Summary? SessionFirstAudio,
    double AudioMilliseconds,
    int Samples);

/// <summary>
/// Stream hops at one concurrency: per audio chunk, receive time minus publish time, where the publish time is the
/// event's <c>AtMilliseconds</c> after the session's start. The start lies between the client's <c>Start</c> call
/// and its return, so <see cref="Upper"/> (from the call) over-estimates and <see cref="Lower"/> (from the return)
/// under-estimates each hop, both by at most the start call's duration (<see cref="StartCall"/>).
/// </summary>
internal sealed record HopMeasurement(int Concurrency, HopSummary Hop, int Chunks);

/// <summary>Median, p90 and max of hops in milliseconds.</summary>
internal sealed record HopSummary(double Median, double P90, double Max)
{
    public static HopSummary From(IReadOnlyCollection<double> samples)
    {
        var s = Summary.From(samples);
        return new HopSummary(s.Median, s.P90, samples.Max());
    }
}

/// <summary>
/// One process's CPU time over the idle window as a percentage of one core (100 = one core busy throughout), and
/// the busiest of the window's equal slices, to show whether the cost is steady or comes in bursts.
/// </summary>
internal sealed record IdleCpu(string Process, double Percent, double BusiestSlicePercent, int Slices, TimeSpan Window);
