using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.Diagnostics;

/// <summary>
/// What clients of this gateway see, on the <see cref="MeterName"/> meter, and the gateway's trace source. Prometheus
/// names: <c>sawt_gateway_sockets_active{endpoint}</c>, <c>sawt_gateway_contexts_active</c>,
/// <c>sawt_gateway_time_to_first_audio_seconds</c>, <c>sawt_gateway_inter_chunk_gap_seconds</c>,
/// <c>sawt_gateway_contexts_total{outcome}</c>, <c>sawt_gateway_errors_total{code}</c>. Each <c>/v1/ws</c> context
/// is the root span (<see cref="ContextSpan"/>) of its utterance's trace, linked to the socket's request span.
/// </summary>
public sealed class GatewayInstruments : IDisposable
{
    public const string MeterName = "Sawt.Gateway";
    public const string SourceName = "Sawt.Gateway";
    public const string SocketsActive = "sawt.gateway.sockets.active";
    public const string ContextsActive = "sawt.gateway.contexts.active";
    public const string TimeToFirstAudio = "sawt.gateway.time_to_first_audio";
    public const string InterChunkGap = "sawt.gateway.inter_chunk_gap";
    public const string Contexts = "sawt.gateway.contexts";
    public const string Errors = "sawt.gateway.errors";

    /// <summary>One <c>/v1/ws</c> context: from its <c>synthesize</c> to its terminal message.</summary>
    public const string ContextSpan = "tts.context";

    public const string ContextIdTag = "sawt.context_id";
    public const string SessionIdTag = "sawt.session_id";
    public const string OutcomeTag = "sawt.outcome";

    // Outcomes that are not errors: the context finished, the client cancelled it, or the client left.
    private static readonly HashSet<string> Benign = new(StringComparer.Ordinal) { "done", ErrorCodes.Cancelled, "socket_closed" };
    private static readonly double[] LatencyBuckets = [0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30];
    private static readonly double[] GapBuckets = [0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5];

    // Observed, not added to: a listener that starts after a socket opened (a second host in one process, an exporter
    // attached late) would otherwise see its close without its open and report fewer sockets than are open.
    private readonly ConcurrentDictionary<string, StrongBox<long>> _sockets = new(StringComparer.Ordinal);
    private long _contextsActive;
    private readonly Histogram<double> _timeToFirstAudio;
    private readonly Histogram<double> _gap;
    private readonly Counter<long> _contexts;
    private readonly Counter<long> _errors;

    public GatewayInstruments(IMeterFactory meters, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meters);
        Time = time;
        var meter = meters.Create(MeterName);
        meter.CreateObservableUpDownCounter(SocketsActive, ObserveSockets, "{socket}", "WebSockets open on this gateway.");
        meter.CreateObservableUpDownCounter(ContextsActive, () => Interlocked.Read(ref _contextsActive), "{context}", "WebSocket contexts running on this gateway.");
        _timeToFirstAudio = meter.CreateHistogram<double>(TimeToFirstAudio, "s", "From a context's synthesize to its first audio queued for the client.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _gap = meter.CreateHistogram<double>(InterChunkGap, "s", "Between consecutive audio chunks of a context, as queued for the client.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = GapBuckets });
        _contexts = meter.CreateCounter<long>(Contexts, "{context}", "WebSocket contexts ended, by outcome.");
        _errors = meter.CreateCounter<long>(Errors, "{error}", "Contexts that ended in an error, by public error code.");
    }

    public ActivitySource Source { get; } = new(SourceName);

    internal TimeProvider Time { get; }

    public void Dispose() => Source.Dispose();

    internal void SocketOpened(string endpoint) => Interlocked.Increment(ref _sockets.GetOrAdd(endpoint, static _ => new StrongBox<long>()).Value);

    internal void SocketClosed(string endpoint) => Interlocked.Decrement(ref _sockets.GetOrAdd(endpoint, static _ => new StrongBox<long>()).Value);

    /// <summary>
    /// Starts a context: counts it and returns its span, a new trace root linked to the current (the socket's) span,
    /// so each utterance is one trace instead of every utterance of a socket being one. Caller disposes the span.
    /// </summary>
    internal Activity? StartContext(string contextId)
    {
        Interlocked.Increment(ref _contextsActive);
        var socket = Activity.Current;
        Activity.Current = null; // Only this async flow: the caller's context keeps its own current span.
        var span = Source.StartActivity(
            ContextSpan,
            ActivityKind.Server,
            parentContext: default,
            tags: [new(ContextIdTag, contextId)],
            links: socket is null ? null : [new ActivityLink(socket.Context)]);
        return span;
    }

    internal void EndContext(Activity? span, string outcome)
    {
        Interlocked.Decrement(ref _contextsActive);
        _contexts.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        span?.SetTag(OutcomeTag, outcome);
        if (!Benign.Contains(outcome))
        {
            _errors.Add(1, new KeyValuePair<string, object?>("code", outcome));
            span?.SetStatus(ActivityStatusCode.Error, outcome);
        }
    }

    private IEnumerable<Measurement<long>> ObserveSockets() =>
        _sockets.Select(static pair => new Measurement<long>(Interlocked.Read(ref pair.Value.Value), new KeyValuePair<string, object?>("endpoint", pair.Key)));

    internal void FirstAudio(TimeSpan sinceStart) => _timeToFirstAudio.Record(sinceStart.TotalSeconds);

    internal void ChunkGap(TimeSpan sincePrevious) => _gap.Record(sincePrevious.TotalSeconds);
}
