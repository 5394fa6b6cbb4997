using Microsoft.Extensions.Logging;
using Sawt.Contracts.Sessions;

namespace Sawt.Grains.Hosting;

/// <summary>
/// This silo's drain on shutdown. Work that must not end silently (a session's run, a worker's generation or decode
/// call) holds a lease from <see cref="Track"/> while it runs. Draining makes the silo unready (its workers report not
/// ready, new sessions are placed elsewhere), waits up to the drain timeout for every lease to end, then cancels
/// <see cref="Expired"/> so the rest end with the retryable <c>shutting_down</c>, and waits (at most
/// <see cref="FinalWait"/>) until they have said so. Only then does the silo go on to leave the cluster.
/// </summary>
public sealed partial class SiloDrain(TimeProvider time, ILogger<SiloDrain> logger) : IDisposable
{
    /// <summary>The wire code of work the drain ended.</summary>
    public const string ShuttingDownCode = "shutting_down";

    /// <summary>How long work ended by the drain has to publish its <c>shutting_down</c> before the silo moves on.</summary>
    public static readonly TimeSpan FinalWait = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _expired = new();
    private TaskCompletionSource? _idle;
    private int _active;
    private volatile bool _draining;

    /// <summary>True from the start of the drain: the silo takes no new work (readiness reports <c>draining</c>).</summary>
    public bool IsDraining => _draining;

    /// <summary>Leases held now.</summary>
    public int Active
    {
        get
        {
            lock (_gate)
            {
                return _active;
            }
        }
    }

    /// <summary>Cancelled when the drain time is up (or the host's shutdown time ran out): what still runs ends now.</summary>
    public CancellationToken Expired => _expired.Token;

    /// <summary>The error a client gets for work the drain ended: retryable at once on another silo.</summary>
    public static SessionRejectedException ShuttingDown() =>
        new(ShuttingDownCode, "The silo running this utterance is shutting down and ended it before it finished; retry it.", retryable: true, retryAfterSeconds: 1);

    /// <summary>A lease on running work; dispose it when the work has ended (and published its outcome).</summary>
    public IDisposable Track()
    {
        lock (_gate)
        {
            _active++;
        }

        return new Lease(this);
    }

    /// <summary>Starts draining (idempotent): the silo is not ready from now on.</summary>
    public void Begin()
    {
        lock (_gate)
        {
            _draining = true;
            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_active == 0)
            {
                _idle.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Drains: waits up to <paramref name="timeout"/> (or until <paramref name="cancellationToken"/>, the host's
    /// shutdown deadline) for every lease to end; then ends the rest and waits for them at most <see cref="FinalWait"/>.
    /// Returns how many were still running when the time was up (0: every one finished).
    /// </summary>
    public async Task<int> DrainAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Begin();
        Task idle;
        lock (_gate)
        {
            idle = _idle!.Task;
            LogDraining(logger, _active, timeout.TotalSeconds);
        }

        try
        {
            await idle.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            LogDrained(logger);
            return 0;
        }
        catch (TimeoutException)
        {
            // Time is up: end the rest below.
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host will not wait longer: end the rest below.
        }

        var left = Active;
        LogEndingRest(logger, left);
        await _expired.CancelAsync().ConfigureAwait(false);

        // Not the host's token: ending the rest is what lets their clients hear shutting_down instead of silence.
        await idle.WaitAsync(FinalWait, time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return left;
    }

    public void Dispose() => _expired.Dispose();

    private void Release()
    {
        lock (_gate)
        {
            if (--_active == 0)
            {
                _idle?.TrySetResult();
            }
        }
    }

    [LoggerMessage(EventId = 2040, Level = LogLevel.Information, Message = "Draining: {Active} utterances and worker calls running; they have {TimeoutSeconds} s to finish")]
    private static partial void LogDraining(ILogger logger, int active, double timeoutSeconds);

    [LoggerMessage(EventId = 2041, Level = LogLevel.Information, Message = "Drained: every running utterance and worker call finished")]
    private static partial void LogDrained(ILogger logger);

    [LoggerMessage(EventId = 2042, Level = LogLevel.Warning, Message = "Drain time is up: ending {Active} utterances and worker calls with shutting_down")]
    private static partial void LogEndingRest(ILogger logger, int active);

    private sealed class Lease(SiloDrain drain) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                drain.Release();
            }
        }
    }
}
