using System.Diagnostics.Metrics;

namespace Sawt.Grains.Sessions;

/// <summary>
/// What users get from this silo's sessions, on the <see cref="MeterName"/> meter. Prometheus names:
/// <c>sawt_session_active</c>, <c>sawt_session_time_to_first_audio_seconds</c>, <c>sawt_session_real_time_factor</c>,
/// <c>sawt_session_tokens_per_second</c>, <c>sawt_session_audio_seconds_total</c>,
/// <c>sawt_session_utterances_total{outcome}</c>, <c>sawt_session_errors_total{code}</c>.
/// </summary>
public sealed class SessionInstruments
{
    public const string MeterName = "Sawt.Sessions";
    public const string Active = "sawt.session.active";
    public const string TimeToFirstAudio = "sawt.session.time_to_first_audio";
    public const string RealTimeFactor = "sawt.session.real_time_factor";
    public const string TokensPerSecond = "sawt.session.tokens_per_second";
    public const string AudioSeconds = "sawt.session.audio";
    public const string Utterances = "sawt.session.utterances";
    public const string Errors = "sawt.session.errors";

    /// <summary>Outcome tag values of <see cref="Utterances"/>.</summary>
    public const string DoneOutcome = "done";
    public const string ErrorOutcome = "error";
    public const string CancelledOutcome = "cancelled";

    // Latency buckets around what a listener notices (a first chunk within 100-300 ms feels instant).
    private static readonly double[] LatencyBuckets = [0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30];
    private static readonly double[] FactorBuckets = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10];
    private static readonly double[] RateBuckets = [5, 10, 25, 50, 75, 100, 150, 200, 300, 500, 1000, 2000, 5000];

    // Observed, not added to, so a listener attached after a session started never sees its end without its start.
    private long _active;
    private readonly Histogram<double> _timeToFirstAudio;
    private readonly Histogram<double> _realTimeFactor;
    private readonly Histogram<double> _tokensPerSecond;
    private readonly Counter<double> _audio;
    private readonly Counter<long> _utterances;
    private readonly Counter<long> _errors;

    public SessionInstruments(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        meter.CreateObservableUpDownCounter(Active, () => Interlocked.Read(ref _active), "{session}", "Sessions synthesizing now.");
        _timeToFirstAudio = meter.CreateHistogram<double>(TimeToFirstAudio, "s", "From a session's start to its first audio chunk, in the cluster.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _realTimeFactor = meter.CreateHistogram<double>(RealTimeFactor, unit: null, "Wall time over audio time of a completed utterance (below 1: faster than real time).", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FactorBuckets });
        _tokensPerSecond = meter.CreateHistogram<double>(TokensPerSecond, unit: null, "Speech tokens per wall-clock second of a completed utterance.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RateBuckets });
        _audio = meter.CreateCounter<double>(AudioSeconds, "s", "Audio produced by completed utterances.");
        _utterances = meter.CreateCounter<long>(Utterances, "{utterance}", "Utterances ended, by outcome (done, error, cancelled).");
        _errors = meter.CreateCounter<long>(Errors, "{error}", "Utterances that ended in an error, by public error code.");
    }

    internal void Started() => Interlocked.Increment(ref _active);

    internal void Ended() => Interlocked.Decrement(ref _active);

    internal void FirstAudio(TimeSpan sinceStart) => _timeToFirstAudio.Record(sinceStart.TotalSeconds);

    internal void Completed(double wallSeconds, double audioSeconds, int tokens)
    {
        _utterances.Add(1, new KeyValuePair<string, object?>("outcome", DoneOutcome));
        _audio.Add(audioSeconds);
        if (audioSeconds > 0)
        {
            _realTimeFactor.Record(wallSeconds / audioSeconds);
        }

        if (wallSeconds > 0)
        {
            _tokensPerSecond.Record(tokens / wallSeconds);
        }
    }

    internal void Failed(string code, bool cancelled)
    {
        _utterances.Add(1, new KeyValuePair<string, object?>("outcome", cancelled ? CancelledOutcome : ErrorOutcome));
        if (!cancelled)
        {
            _errors.Add(1, new KeyValuePair<string, object?>("code", code));
        }
    }
}
