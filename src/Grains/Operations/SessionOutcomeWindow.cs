using Sawt.Contracts.Operations;

namespace Sawt.Grains.Operations;

/// <summary>
/// Session outcomes over the last <see cref="Window"/>, in <c>bucketCount</c> equal buckets on a ring: a bucket is
/// reused (its old contents evicted) when time comes round to its slot again. Each bucket keeps at most
/// <c>samplesPerBucket</c> time-to-first-audio samples (reservoir sampling beyond that, so a busy bucket stays
/// representative), counts every session and error, and at most <see cref="MaxCodes"/> distinct error codes (the
/// rest under <see cref="OtherCode"/>). Memory is fixed whatever the load. Not thread-safe: one grain owns it.
/// </summary>
internal sealed class SessionOutcomeWindow
{
    /// <summary>Distinct error codes kept per bucket; codes are a small public set, so this only guards against a bug.</summary>
    public const int MaxCodes = 32;

    /// <summary>Where error codes beyond <see cref="MaxCodes"/> are counted.</summary>
    public const string OtherCode = "other";

    private readonly TimeProvider _time;
    private readonly Bucket[] _ring;
    private readonly long _bucketTicks;
    private readonly int _samplesPerBucket;
    private readonly Random _random;

    public SessionOutcomeWindow(TimeProvider time, TimeSpan bucketWidth, int bucketCount, int samplesPerBucket, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bucketWidth, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerBucket, 1);
        _time = time;
        _bucketTicks = bucketWidth.Ticks;
        _samplesPerBucket = samplesPerBucket;
        _random = random ?? new Random(0);
        _ring = [.. Enumerable.Range(0, bucketCount).Select(_ => new Bucket(samplesPerBucket))];
    }

    /// <summary>The span the window covers.</summary>
    public TimeSpan Window => TimeSpan.FromTicks(_bucketTicks * _ring.Length);

    /// <summary>Counts an outcome in the bucket of the current time.</summary>
    public void Record(SessionOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var index = BucketIndex(_time.GetUtcNow());
        var bucket = _ring[(int)(index % _ring.Length)];
        if (bucket.Index != index)
        {
            // The slot last held a bucket one or more windows ago: evict it.
            bucket.Reset(index);
        }

        bucket.Sessions++;
        if (outcome.ErrorCode is { } code)
        {
            bucket.Errors++;
            var key = bucket.ErrorsByCode.ContainsKey(code) || bucket.ErrorsByCode.Count < MaxCodes ? code : OtherCode;
            bucket.ErrorsByCode[key] = bucket.ErrorsByCode.GetValueOrDefault(key) + 1;
        }

        if (outcome.TimeToFirstAudioMilliseconds is { } ttfa && double.IsFinite(ttfa))
        {
            bucket.SamplesSeen++;
            if (bucket.Samples.Count < _samplesPerBucket)
            {
                bucket.Samples.Add(ttfa);
            }
            else
            {
                // Reservoir sampling (Algorithm R): every sample of the bucket is kept with equal probability.
                var slot = _random.NextInt64(bucket.SamplesSeen);
                if (slot < _samplesPerBucket)
                {
                    bucket.Samples[(int)slot] = ttfa;
                }
            }
        }
    }

    /// <summary>The live buckets (those within the window of now), oldest first, each summarised.</summary>
    public IReadOnlyList<LatencySummary> Buckets() =>
        [.. Live().Select(b => Summarise(StartOf(b.Index), b.Sessions, b.Errors, b.Samples))];

    /// <summary>The whole window summarised (its start is the oldest bucket the window can hold).</summary>
    public LatencySummary Total()
    {
        var live = Live().ToList();
        var oldest = BucketIndex(_time.GetUtcNow()) - _ring.Length + 1;
        return Summarise(StartOf(oldest), live.Sum(b => b.Sessions), live.Sum(b => b.Errors), [.. live.SelectMany(b => b.Samples)]);
    }

    /// <summary>Errors in the window by code, most frequent first (ties by code).</summary>
    public IReadOnlyList<ErrorCount> ErrorsByCode() =>
        [.. Live().SelectMany(b => b.ErrorsByCode)
            .GroupBy(e => e.Key, StringComparer.Ordinal)
            .Select(g => new ErrorCount(g.Key, g.Sum(e => e.Value)))
            .OrderByDescending(e => e.Count)
            .ThenBy(e => e.Code, StringComparer.Ordinal)];

    /// <summary>
    /// The nearest-rank percentile of <paramref name="values"/> (sorted here): the smallest value with at least
    /// <paramref name="percentile"/> of the values at or below it; 0 for no values.
    /// </summary>
    public static double Percentile(IReadOnlyList<double> values, double percentile)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 1);
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    private IEnumerable<Bucket> Live()
    {
        var current = BucketIndex(_time.GetUtcNow());
        return _ring.Where(b => b.Index > current - _ring.Length && b.Index <= current).OrderBy(b => b.Index);
    }

    private long BucketIndex(DateTimeOffset at) => at.UtcTicks / _bucketTicks;

    private DateTimeOffset StartOf(long index) => new(index * _bucketTicks, TimeSpan.Zero);

    private static LatencySummary Summarise(DateTimeOffset start, int sessions, int errors, List<double> samples) =>
        new(start, sessions, errors, Percentile(samples, 0.50), Percentile(samples, 0.95), Percentile(samples, 0.99));

    private sealed class Bucket(int samplesPerBucket)
    {
        /// <summary>Which bucket of time this slot holds now; -1 before its first use.</summary>
        public long Index { get; private set; } = -1;

        public int Sessions { get; set; }

        public int Errors { get; set; }

        public long SamplesSeen { get; set; }

        public List<double> Samples { get; } = new(samplesPerBucket);

        public Dictionary<string, int> ErrorsByCode { get; } = new(StringComparer.Ordinal);

        public void Reset(long index)
        {
            Index = index;
            Sessions = 0;
            Errors = 0;
            SamplesSeen = 0;
            Samples.Clear();
            ErrorsByCode.Clear();
        }
    }
}
