using Microsoft.Extensions.Logging;
using Orleans;
using Sawt.Contracts.Sessions;

namespace Sawt.Grains.Sessions;

/// <summary>
/// The session's replay side: it keeps what it published until its gateway acknowledges it
/// (<see cref="SessionReplayBuffer"/>), answers a gateway whose stream went silent with what it missed, and stays
/// active after its end (<see cref="SessionLimits.ReplayRetention"/>) until the gateway acknowledged the final event.
/// </summary>
internal sealed partial class TtsSessionGrain
{
    /// <summary>Longest a replay waits for a new event: well inside Orleans' response timeout.</summary>
    private static readonly TimeSpan MaxReplayWait = TimeSpan.FromSeconds(10);

    private SessionReplayBuffer? _replay;
    private TimeSpan _replayRetention;
    private IGrainTimer? _retention;

    public async Task<SessionReplay> Replay(int fromSequence, TimeSpan wait)
    {
        if (_start is null || _replay is not { } replay)
        {
            throw Lost();
        }

        // Asking from a chunk means holding every one before it.
        replay.Acknowledge(fromSequence, ended: false);
        var answer = replay.Replay(fromSequence);
        if (answer.Whole && answer.Events.Length == 0 && wait > TimeSpan.Zero)
        {
            var changed = replay.Changed;
            await changed.WaitAsync(wait < MaxReplayWait ? wait : MaxReplayWait, _time)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            answer = replay.Replay(fromSequence);
        }

        LogReplayed(logger, this.GetPrimaryKey(), fromSequence, answer.Events.Length, answer.Whole);
        return answer;
    }

    public Task Acknowledge(int delivered, bool ended)
    {
        if (_start is null)
        {
            // A session the cluster lost: this activation was created by the call and holds nothing.
            DeactivateOnIdle();
            return Task.CompletedTask;
        }

        _replay?.Acknowledge(delivered, ended);
        if (_replay is { Settled: true } && _cancel is null)
        {
            LeaveNow();
        }

        return Task.CompletedTask;
    }

    private void StartReplay(SessionLimits settings)
    {
        _replay = new SessionReplayBuffer(settings.ReplayBufferChunks, settings.ReplayBufferBytes);
        _replayRetention = settings.ReplayRetention;
    }

    private Task PublishOnStream(SessionEvent stamped)
    {
        _replay?.Record(stamped);
        return stamped is AudioChunkEvent or SessionCompleted or SessionFailed && _replay is not null
            ? PublishReplayable(stamped)
            : _stream!.OnNextAsync(stamped);
    }

    /// <summary>
    /// An event the replay buffer holds (audio, the end): a stream that cannot take it (its queue's silo just left) does
    /// not fail the session, because the gateway fetches it with <see cref="Replay"/> when its stream goes silent.
    /// </summary>
    private async Task PublishReplayable(SessionEvent stamped)
    {
        try
        {
            await _stream!.OnNextAsync(stamped);
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            LogStreamPublishFailed(logger, ex, this.GetPrimaryKey());
        }
    }

    /// <summary>
    /// Called when the run ended: leaves at once when the gateway already acknowledged the end (or its lease lapsed: no
    /// gateway is left to ask), else stays (bounded by <see cref="SessionLimits.ReplayRetention"/>) for a gateway that
    /// may still ask for a replay.
    /// </summary>
    private void LeaveWhenSettled()
    {
        if (_replay is null or { Settled: true } || _replayRetention <= TimeSpan.Zero || _leaseLapsed)
        {
            LeaveNow();
            return;
        }

        DelayDeactivation(_replayRetention);
        _retention = this.RegisterGrainTimer(
            () =>
            {
                LeaveNow();
                return Task.CompletedTask;
            },
            new GrainTimerCreationOptions(_replayRetention, Timeout.InfiniteTimeSpan) { Interleave = true });
    }

    private void LeaveNow()
    {
        StopLeaseWatch();
        _retention?.Dispose();
        _retention = null;
        DelayDeactivation(TimeSpan.Zero);
        DeactivateOnIdle();
    }

    [LoggerMessage(EventId = 2050, Level = LogLevel.Debug, Message = "Session {SessionId} replayed from chunk {FromSequence}: {Events} events, whole {Whole}")]
    private static partial void LogReplayed(ILogger logger, Guid sessionId, int fromSequence, int events, bool whole);

    [LoggerMessage(EventId = 2051, Level = LogLevel.Warning, Message = "Session {SessionId} could not publish an event on its stream; it stays in the replay buffer for its gateway")]
    private static partial void LogStreamPublishFailed(ILogger logger, Exception exception, Guid sessionId);
}
