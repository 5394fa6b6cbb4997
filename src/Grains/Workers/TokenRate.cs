namespace Sawt.Grains.Workers;

/// <summary>
/// Tokens per second from a running total: the rise since the previous sample over the time between them. Samples
/// closer than <see cref="MinimumSpan"/> keep the previous rate, so an extra snapshot (an activation call between
/// two timer ticks) cannot turn a few tokens over a few microseconds into a spike.
/// </summary>
internal sealed class TokenRate(TimeProvider time)
{
    public static readonly TimeSpan MinimumSpan = TimeSpan.FromMilliseconds(500);

    private long _previousTotal = -1;
    private long _previousAt;
    private double _rate;

    /// <summary>Takes the running total now and returns the latest rate (0 until two samples are far enough apart).</summary>
    public double Observe(long total)
    {
        var now = time.GetTimestamp();
        if (_previousTotal < 0 || total < _previousTotal)
        {
            // First sample, or the total restarted (a new engine): nothing to compare against yet.
            _previousTotal = total;
            _previousAt = now;
            _rate = 0;
            return _rate;
        }

        var span = time.GetElapsedTime(_previousAt, now);
        if (span < MinimumSpan)
        {
            return _rate;
        }

        _rate = (total - _previousTotal) / span.TotalSeconds;
        _previousTotal = total;
        _previousAt = now;
        return _rate;
    }
}
