namespace Sawt.Gateway.Backend;

/// <summary>
/// Tells a session that can no longer reach its subscriber from one that is only quiet (an incremental context
/// waiting for text). When nothing arrived on the session's stream for <c>probeAfter</c>, it asks the session to
/// publish a probe on that stream (<c>probe</c>); when nothing at all arrives within <c>probeTimeout</c> of asking
/// (the call failing counts as no answer), the session or its stream path is lost: a silo holding the session, its
/// stream queue or its stream subscription left the cluster. <see cref="WatchAsync"/> then returns true, so the
/// consumer ends the context with a retryable error instead of waiting forever.
/// </summary>
/// <remarks>
/// A consumer that does not read never holds the stream back (the gateway's deliveries do not wait for it), so only
/// the stream's own silence counts. Thread-safe: the stream callback reports, one watcher waits.
/// </remarks>
internal sealed class SessionStreamLiveness(Func<long, Task> probe, TimeSpan probeAfter, TimeSpan probeTimeout, TimeProvider time)
{
    private TaskCompletionSource _heard = NewSignal();
    private long _heardAt = time.GetTimestamp();
    private long _probes;

    /// <summary>Probes sent so far.</summary>
    public long Probes => Interlocked.Read(ref _probes);

    /// <summary>Something arrived on the stream (any event, a probe's answer included).</summary>
    public void Heard()
    {
        Interlocked.Exchange(ref _heardAt, time.GetTimestamp());
        Interlocked.Exchange(ref _heard, NewSignal()).TrySetResult();
    }

    /// <summary>
    /// Watches until the stream is found lost (true) or <paramref name="cancellationToken"/> is cancelled (false: the
    /// session ended, or its consumer went away).
    /// </summary>
    public async Task<bool> WatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                // The signal is read before the time, so an event between the two wakes the wait below at once.
                var heard = Volatile.Read(ref _heard).Task;
                var quiet = time.GetElapsedTime(Interlocked.Read(ref _heardAt));
                if (quiet < probeAfter)
                {
                    await WaitAsync(heard, probeAfter - quiet, cancellationToken);
                    continue;
                }

                if (!await ProbeAnsweredAsync(heard, cancellationToken))
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Asks for a probe; true when anything arrived within the timeout.</summary>
    private async Task<bool> ProbeAnsweredAsync(Task heard, CancellationToken cancellationToken)
    {
        var askedAt = time.GetTimestamp();
        try
        {
            await probe(Interlocked.Increment(ref _probes)).WaitAsync(probeTimeout, time, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Unanswered (the session is gone, its silo unreachable, the call timed out): an event already on its way,
            // e.g. the session's final one, may still arrive before the deadline, so wait for it below all the same.
        }

        var left = probeTimeout - time.GetElapsedTime(askedAt);
        if (!heard.IsCompleted && left > TimeSpan.Zero)
        {
            await WaitAsync(heard, left, cancellationToken);
        }

        return heard.IsCompleted;
    }

    private async Task WaitAsync(Task heard, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await heard.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
