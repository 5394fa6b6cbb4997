using Sawt.Bench.Reporting;

namespace Sawt.Bench.Cluster;

/// <summary>Everything the cluster bench measured.</summary>
internal sealed record ClusterBenchReport(
    ClusterBenchSettings Settings,
    double GenerateSeconds,
    IReadOnlyList<LatencyMeasurement> Direct,
    IReadOnlyList<LatencyMeasurement> WebSocket,
    IReadOnlyList<HopMeasurement> Hops);

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
/// Stream hops at one poll period: per audio chunk, receive time minus publish time, where the publish time is the
/// event's <c>AtMilliseconds</c> after the session's start. The start lies between the client's <c>Start</c> call
/// and its return, so <see cref="Upper"/> (from the call) over-estimates and <see cref="Lower"/> (from the return)
/// under-estimates each hop; <see cref="Excess"/> is each hop over the fastest hop of its session, which needs no start time.
/// </summary>
internal sealed record HopMeasurement(
    TimeSpan PollPeriod,
    int Concurrency,
    HopSummary Upper,
    HopSummary Lower,
    HopSummary Excess,
    Summary StartCall,
    Summary? WsFirstAudio,
    int Chunks);

/// <summary>Median, p90 and max of hops in milliseconds.</summary>
internal sealed record HopSummary(double Median, double P90, double Max)
{
    public static HopSummary From(IReadOnlyCollection<double> samples)
    {
        var s = Summary.From(samples);
        return new HopSummary(s.Median, s.P90, samples.Max());
    }
}
