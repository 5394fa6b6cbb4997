namespace Sawt.Grains.Sessions;

/// <summary>
/// How long a session may go without hearing from its caller (<c>SessionStart.Lease</c>). The gateway renews it while it
/// listens; a lease nobody renewed for <see cref="Duration"/> has lapsed: the gateway died or was cut off, and nobody
/// will hear the session any more. Lapses at most once; a renewal after that changes nothing. Without a duration (a
/// caller that does not renew) it never lapses. Used on the session's activation only, so it needs no locks.
/// </summary>
internal sealed class SessionLease
{
    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(1);

    private readonly TimeProvider _time;
    private long _renewedAt;
    private bool _lapsed;

    /// <param name="duration">The lease; null or not positive: none.</param>
    /// <param name="time">The clock the lease runs on.</param>
    public SessionLease(TimeSpan? duration, TimeProvider time)
    {
        Duration = duration > TimeSpan.Zero ? duration : null;
        _time = time;
        _renewedAt = time.GetTimestamp();
    }

    public TimeSpan? Duration { get; }

    /// <summary>Whether the lease has run out (from the last renewal, or from its start when never renewed).</summary>
    public bool HasLapsed => _lapsed || Left <= TimeSpan.Zero;

    private TimeSpan Left => Duration is { } duration ? duration - _time.GetElapsedTime(_renewedAt) : TimeSpan.MaxValue;

    /// <summary>The caller is still there: the lease runs for <see cref="Duration"/> from now.</summary>
    public void Renew()
    {
        if (!_lapsed)
        {
            _renewedAt = _time.GetTimestamp();
        }
    }

    /// <summary>
    /// Waits on the lease's clock until it lapses, then runs <paramref name="onLapsed"/> (once in the lease's life). Returns
    /// without running it when <paramref name="cancellationToken"/> ends the watch first (the session ended), at once when
    /// there is no lease.
    /// </summary>
    public async Task WatchAsync(Func<Task> onLapsed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onLapsed);
        if (Duration is null)
        {
            return;
        }

        // Wakes when the lease would lapse without renewals since; a renewal meanwhile only moves the next wake-up.
        // Continues on the caller's context (the session's activation), which owns this object.
        while (!_lapsed && Left is var left && left > TimeSpan.Zero)
        {
            // At least a millisecond: Task.Delay completes a shorter wait at once, and the loop would spin until the clock moved.
            await Task.Delay(left < MinimumWait ? MinimumWait : left, _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }

        if (_lapsed)
        {
            return;
        }

        _lapsed = true;
        await onLapsed();
    }
}
