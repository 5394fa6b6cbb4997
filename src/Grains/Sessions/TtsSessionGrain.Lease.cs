using Microsoft.Extensions.Logging;
using Sawt.Contracts.Sessions;

namespace Sawt.Grains.Sessions;

/// <summary>
/// The session's lease (<see cref="SessionStart.Lease"/>): a session whose gateway stopped calling (killed, cut off)
/// cancels itself, so its workers stop and it does not speak on for nobody.
/// </summary>
internal sealed partial class TtsSessionGrain : IIncomingGrainCallFilter
{
    private SessionLease? _lease;

    // Ends the lease's watch when the activation goes: the watch outlives the run, to end the wait for a replay too.
    private readonly CancellationTokenSource _leaseWatch = new();

    // Set once the lease lapsed: the run's cancellation is then reported as the lost caller, not as a cancel or deadline.
    private bool _leaseLapsed;

    public Task Renew() => _start is null ? throw Lost() : Task.CompletedTask;

    /// <summary>Every call to this session (append, flush, end, probe, renew, cancel) shows its caller is there.</summary>
    public Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _lease?.Renew();
        return context.Invoke();
    }

    /// <summary>
    /// Starts the lease the caller asked for (none when it asked for none). A lapse while the run goes on cancels it
    /// (<paramref name="cancel"/>); after the run, when the session waits for its gateway to acknowledge the end, the
    /// session leaves at once: no gateway is left to ask for a replay.
    /// </summary>
    private void WatchLease(TimeSpan? duration, CancellationTokenSource cancel)
    {
        _lease = new SessionLease(duration, _time);
        _ = _lease.WatchAsync(LeaseLapsedAsync, _leaseWatch.Token);

        async Task LeaseLapsedAsync()
        {
            _leaseLapsed = true;
            if (ReferenceEquals(_cancel, cancel))
            {
                LogLeaseLapsed(logger, this.GetPrimaryKey(), duration!.Value.TotalSeconds);
                await cancel.CancelAsync();
            }
            else
            {
                LeaveNow();
            }
        }
    }

    /// <summary>Stops the lease's watch (the activation is leaving).</summary>
    private void StopLeaseWatch() => _leaseWatch.Cancel();

    /// <summary>The final event of a session whose lease lapsed: published for the record, as nobody may be listening.</summary>
    private SessionFailed LeaseLapsedFailure() => new(
        "unavailable",
        $"The session heard nothing from its gateway for {_lease!.Duration!.Value.TotalSeconds:0.#} s and was ended; start the utterance again.",
        true,
        1);

    [LoggerMessage(EventId = 2038, Level = LogLevel.Information, Message = "Session {SessionId} heard nothing from its gateway for {LeaseSeconds} s (its lease lapsed) and cancelled itself")]
    private static partial void LogLeaseLapsed(ILogger logger, Guid sessionId, double leaseSeconds);
}
