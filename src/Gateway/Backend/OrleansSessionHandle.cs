using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Sawt.Contracts.Sessions;
using Sawt.Gateway.Diagnostics;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.Backend;

/// <summary>
/// A session's stream subscription feeding a bounded <see cref="SessionEventQueue"/>. The stream callback never waits
/// for the consumer (that would hold up every session's delivery to this gateway); a consumer that falls
/// <c>SessionEventBuffer</c> events behind ends its session with the retryable <c>slow_consumer</c> instead, so memory
/// stays bounded. Audio is released in sequence order: an
/// out-of-order chunk waits (at most <see cref="MaxReorder"/> of them) for the missing one; duplicates are dropped.
/// Once the session has started, a <see cref="SessionStreamLiveness"/> watch notices a stream gone silent (a silo carrying
/// it left the cluster); so does a gap the stream does not fill, or a probe's answer saying the session published more
/// than arrived (the stream lost the tail of an utterance, its end included, and carries later events again). The
/// handle then fetches what is missing from the session itself (<see cref="ITtsSessionGrain.Replay"/>) until its end,
/// and ends the events with the retryable
/// <c>unavailable</c> only when the session is lost too, or no longer holds what is missing: a consumer never waits
/// forever, and a session that survives loses no audio. Delivered chunks are acknowledged every
/// <see cref="AcknowledgeEvery"/>, so the session keeps only a few for a replay.
/// </summary>
internal sealed class OrleansSessionHandle : ISessionHandle
{
    private const int MaxReorder = 32;

    /// <summary>Chunks delivered between two acknowledgements: one one-way call per this many chunks.</summary>
    internal const int AcknowledgeEvery = 8;

    /// <summary>How often a replay looks for room when its consumer's buffer is full.</summary>
    private static readonly TimeSpan RoomPoll = TimeSpan.FromMilliseconds(50);

    /// <summary>First wait before a command that reached an activation which never started is sent again; it doubles up to <see cref="MaxResendDelay"/>.</summary>
    private static readonly TimeSpan FirstResendDelay = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan MaxResendDelay = TimeSpan.FromSeconds(1);

    private readonly ITtsSessionGrain _grain;
    private readonly ILogger _logger;
    private readonly SessionEventQueue _events;
    private readonly CancellationTokenSource _disposed = new();
    private readonly SortedDictionary<int, AudioChunkEvent> _pending = [];
    private readonly SessionStreamLiveness _liveness;
    private readonly TimeSpan _probeTimeout;
    private readonly SessionLeaseRenewal _renewal;
    private readonly TimeSpan _replayWait;
    private readonly TimeProvider _time;
    private readonly int _capacity;

    // One delivery at a time: the stream callback and a replay both deliver, and both touch the order state below.
    private readonly Lock _delivery = new();

    // Completed when a gap appeared that the stream does not fill (too many chunks ahead, or an end with chunks missing).
    private readonly TaskCompletionSource _gap = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private StreamSubscriptionHandle<SessionEvent>? _subscription;
    private Task _watching = Task.CompletedTask;
    private Task _cancelling = Task.CompletedTask;
    private Task _renewing = Task.CompletedTask;
    private int _nextSequence;
    private int _acknowledged;

    // 1 once the session was told its end reached this gateway, or that this gateway wants nothing more of it.
    private int _endAcknowledged;
    private bool _started;

    // 1 once the terminal event is decided: by the stream callback, or by the liveness watch (another thread).
    private int _terminal;

    public OrleansSessionHandle(Guid sessionId, ITtsSessionGrain grain, GatewayOptions options, TimeProvider time, ILogger logger)
    {
        SessionId = sessionId;
        _grain = grain;
        _logger = logger;
        _probeTimeout = options.StreamProbeTimeout;
        _replayWait = options.StreamProbeAfter;
        _time = time;
        _capacity = options.SessionEventBuffer;
        _liveness = new SessionStreamLiveness(grain.Probe, options.StreamProbeAfter, options.StreamProbeTimeout, time);
        _renewal = new SessionLeaseRenewal(sessionId, grain.Renew, options.SessionLeaseRenewal, time, logger);
        _events = new SessionEventQueue(options.SessionEventBuffer);
    }

    public Guid SessionId { get; }

    public IAsyncEnumerable<SessionEvent> Events => _events.ReadAllAsync();

    public async Task SubscribeAsync(IAsyncStream<SessionEvent> stream)
    {
        _subscription = await stream.SubscribeAsync(OnNextAsync, OnErrorAsync, OnCompletedAsync);
    }

    /// <summary>Chunks recovered from the session by replay (a stream that went silent or left a gap), for tests and logs.</summary>
    public int Replayed { get; private set; }

    /// <summary>
    /// Starts watching the stream's liveness and renewing the session's lease until its terminal event; call once the
    /// session has started (before, there is nothing to probe or renew).
    /// </summary>
    public void WatchLiveness()
    {
        _started = true;
        _watching = WatchAsync();
        _renewing = _renewal.RunAsync(() => Volatile.Read(ref _terminal) != 0, _disposed.Token);
    }

    public Task AppendTextAsync(string text, CancellationToken cancellationToken = default) =>
        SendAsync(() => _grain.AppendText(text), cancellationToken);

    public Task FlushAsync(CancellationToken cancellationToken = default) => SendAsync(_grain.Flush, cancellationToken);

    public Task CompleteAsync(CancellationToken cancellationToken = default) => SendAsync(_grain.Complete, cancellationToken);

    public Task CancelAsync(CancellationToken cancellationToken = default) => _grain.Cancel().WaitAsync(cancellationToken);

    /// <summary>
    /// Sends one input command (text, flush, end). A session answers <c>unavailable</c> to input only from an activation
    /// that never started, so the command did nothing there. While a silo that held directory entries leaves, a call can
    /// briefly reach such a new activation although the session's own still runs (later calls reach it again): dropping
    /// the command then would leave that session waiting for text that never comes, so it is sent again, in order (the
    /// next command waits), until it lands. It stops when the context ended (a session that is really lost stops
    /// answering probes, and the liveness watch ends the context), and after <c>StreamProbeTimeout</c> the context ends
    /// with the retryable <c>unavailable</c> and the session is cancelled.
    /// </summary>
    private async Task SendAsync(Func<Task> command, CancellationToken cancellationToken)
    {
        var since = _time.GetTimestamp();
        var delay = FirstResendDelay;
        while (true)
        {
            try
            {
                await command().WaitAsync(cancellationToken);
                return;
            }
            catch (SessionRejectedException exception) when (exception.Code == ErrorCodes.Unavailable && Volatile.Read(ref _terminal) == 0)
            {
                if (_time.GetElapsedTime(since) >= _probeTimeout)
                {
                    await LostAsync();
                    throw;
                }

                GatewayLog.CommandResent(_logger, SessionId, delay.TotalMilliseconds);
                await Task.Delay(delay, _time, cancellationToken);
                delay = delay * 2 < MaxResendDelay ? delay * 2 : MaxResendDelay;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        await _disposed.CancelAsync();
        _events.Complete();
        await _watching;
        await _cancelling;
        await _renewing;

        // The consumer went away before the session's end.
        LetGo();

        if (_subscription is { } subscription)
        {
            try
            {
                await subscription.UnsubscribeAsync();
            }
            catch (Exception exception)
            {
                GatewayLog.UnsubscribeFailed(_logger, SessionId, exception);
            }
        }

        _disposed.Dispose();
    }

    /// <summary>The stream's callback: anything arriving shows the stream lives; then it is delivered.</summary>
    internal Task OnNextAsync(SessionEvent item, StreamSequenceToken? token)
    {
        _liveness.Heard();
        DeliverLocked(item);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Delivers one event from the stream or a replay: audio in sequence order, each chunk once, then the one final event.
    /// A gap the stream does not fill starts a replay instead of failing.
    /// </summary>
    internal void DeliverLocked(SessionEvent item)
    {
        lock (_delivery)
        {
            if (Volatile.Read(ref _terminal) != 0)
            {
                return;
            }

            if (item is SessionProbed probed)
            {
                // The stream keeps the session's order: what the answer says came before it and did not come was lost on
                // the way (a stream queue left with its silo), and later answers would keep the liveness watch content.
                if (probed.Chunks > _nextSequence || probed.Ended)
                {
                    _gap.TrySetResult();
                }

                return;
            }

            Deliver(item);
        }
    }

    private void Deliver(SessionEvent item)
    {
        switch (item)
        {
            case AudioChunkEvent chunk when chunk.Sequence < _nextSequence:
                GatewayLog.DuplicateChunk(_logger, SessionId, chunk.Sequence);
                return;
            case AudioChunkEvent chunk when chunk.Sequence > _nextSequence:
                if (_pending.Count < MaxReorder)
                {
                    _pending[chunk.Sequence] = chunk;
                }
                else
                {
                    // The missing chunk is not coming by the stream: fetch it (and what follows) from the session.
                    _gap.TrySetResult();
                }

                return;
            case AudioChunkEvent chunk:
                if (!Write(chunk))
                {
                    return;
                }

                _nextSequence++;
                while (_pending.Remove(_nextSequence, out var next))
                {
                    if (!Write(next))
                    {
                        return;
                    }

                    _nextSequence++;
                }

                if (_nextSequence - _acknowledged >= AcknowledgeEvery)
                {
                    Acknowledge(ended: false);
                }

                return;
            case SessionCompleted completed when _pending.Count > 0 || completed.Stats.Chunks > _nextSequence:
                // The end came but audio before it did not: the session still holds it (and its end) for a replay.
                _gap.TrySetResult();
                return;
            case SessionCompleted or SessionFailed:
                if (TryEnd())
                {
                    _events.End(item);
                    Acknowledge(ended: true);
                }

                return;
            default:
                Write(item);
                return;
        }
    }

    private void Fail(string code, string message, double? retryAfterSeconds = null)
    {
        if (!TryEnd())
        {
            return;
        }

        GatewayLog.SessionStreamFailed(_logger, SessionId, code);
        _events.End(new SessionFailed(code, message, Retryable: true, RetryAfterSeconds: retryAfterSeconds));
        LetGo();
    }

    private bool TryEnd() => Interlocked.Exchange(ref _terminal, 1) == 0;

    /// <summary>
    /// Hands an event to the consumer without waiting. False when the consumer has fallen a whole buffer behind: its
    /// events then end with the retryable <c>slow_consumer</c> and the session is cancelled, so its worker is freed.
    /// </summary>
    private bool Write(SessionEvent item)
    {
        if (_events.TryAdd(item))
        {
            return true;
        }

        if (TryEnd())
        {
            GatewayLog.ConsumerFellBehind(_logger, SessionId, _events.Unread);
            _events.End(new SessionFailed(
                ErrorCodes.SlowConsumer,
                $"The client did not read its audio: {_events.Unread} events waited unread; the context was cancelled.",
                Retryable: true,
                RetryAfterSeconds: null));
            _cancelling = CancelQuietlyAsync();
            LetGo();
        }

        return false;
    }

    private async Task CancelQuietlyAsync()
    {
        try
        {
            await _grain.Cancel().WaitAsync(_probeTimeout);
        }
        catch (Exception exception)
        {
            GatewayLog.BackendCallFailed(_logger, "cancel", exception);
        }
    }

    /// <summary>
    /// Ended here, not by the session's own end (the client left or read too slowly, or the stream was lost): the
    /// session keeps nothing more for a replay and, once its run ends, leaves at once instead of waiting for one.
    /// </summary>
    private void LetGo()
    {
        if (_started)
        {
            Acknowledge(ended: true);
        }
    }

    /// <summary>Tells the session which chunks (and whether its end) reached this gateway, so it stops keeping them.</summary>
    private void Acknowledge(bool ended)
    {
        if (ended && Interlocked.Exchange(ref _endAcknowledged, 1) != 0)
        {
            return;
        }

        _acknowledged = _nextSequence;
        _ = AcknowledgeAsync(_nextSequence, ended);
    }

    private async Task AcknowledgeAsync(int delivered, bool ended)
    {
        try
        {
            await _grain.Acknowledge(delivered, ended);
        }
        catch (Exception exception)
        {
            // Only costs the session memory until its next acknowledgement or its retention ends.
            GatewayLog.AcknowledgeFailed(_logger, SessionId, exception);
        }
    }

    /// <summary>
    /// Waits until the stream goes silent (the liveness watch) or leaves a gap, then recovers from the session. Stops
    /// when the handle is disposed (the session ended, or its consumer went away).
    /// </summary>
    private async Task WatchAsync()
    {
        await Task.Yield(); // The caller goes on; the watch runs beside the stream callbacks.
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        var silent = _liveness.WatchAsync(watching.Token);
        await Task.WhenAny(silent, _gap.Task);
        await watching.CancelAsync();
        if (!_gap.Task.IsCompleted && !await silent)
        {
            return;
        }

        await silent;
        if (!_disposed.IsCancellationRequested && Volatile.Read(ref _terminal) == 0)
        {
            await RecoverAsync();
        }
    }

    /// <summary>
    /// Fetches the events from the first chunk not delivered yet straight from the session, until its final event (the
    /// stream may come back meanwhile: whichever brings a chunk first delivers it, the other's copy is dropped). Delivers
    /// no more than the consumer's buffer has room for, asking again for the rest. Ends the events with
    /// <c>unavailable</c> when the session does not answer (it was lost with its silo) or no longer holds a missing chunk.
    /// </summary>
    private async Task RecoverAsync()
    {
        GatewayLog.SessionStreamRecovering(_logger, SessionId, Volatile.Read(ref _nextSequence));
        try
        {
            while (!_disposed.IsCancellationRequested && Volatile.Read(ref _terminal) == 0)
            {
                while (_events.Unread >= _capacity)
                {
                    await Task.Delay(RoomPoll, _time, _disposed.Token);
                }

                var from = Volatile.Read(ref _nextSequence);
                SessionReplay replay;
                try
                {
                    replay = await _grain.Replay(from, _replayWait).WaitAsync(_replayWait + _probeTimeout, _time, _disposed.Token);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !_disposed.IsCancellationRequested)
                {
                    GatewayLog.SessionReplayFailed(_logger, SessionId, exception);
                    await LostAsync();
                    return;
                }

                if (!replay.Whole)
                {
                    GatewayLog.SessionReplayIncomplete(_logger, SessionId, from);
                    await LostAsync();
                    return;
                }

                var room = _capacity - _events.Unread;
                var delivered = 0;
                foreach (var item in replay.Events)
                {
                    if (item is AudioChunkEvent chunk && chunk.Sequence >= Volatile.Read(ref _nextSequence))
                    {
                        if (delivered == room)
                        {
                            break; // the rest on the next round, once the consumer made room
                        }

                        delivered++;
                        Replayed++;
                    }

                    DeliverLocked(item);
                }

                if (Volatile.Read(ref _terminal) == 0 && delivered < room && replay.Events.Any(e => e is SessionCompleted or SessionFailed))
                {
                    // The session's whole rest, its end included, did not complete the audio: asking again would not either.
                    GatewayLog.SessionReplayIncomplete(_logger, SessionId, Volatile.Read(ref _nextSequence));
                    await LostAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // The consumer went away.
        }
    }

    /// <summary>
    /// Ends the events with the retryable <c>unavailable</c> once the session is found lost (or what is missing cannot
    /// be fetched), and cancels the session in case it still runs somewhere unheard.
    /// </summary>
    private async Task LostAsync()
    {
        lock (_delivery)
        {
            Fail(
                ErrorCodes.Unavailable,
                "The session stopped reaching this gateway (a silo running it, or carrying its audio, left the cluster); start the utterance again.",
                retryAfterSeconds: 1);
        }

        await CancelQuietlyAsync();
    }

    private Task OnErrorAsync(Exception exception)
    {
        GatewayLog.SessionStreamError(_logger, SessionId, exception);
        if (TryEnd())
        {
            _events.End(new SessionFailed(ErrorCodes.StreamError, "The session's event stream failed.", true, null));
        }

        return Task.CompletedTask;
    }

    private Task OnCompletedAsync()
    {
        if (TryEnd())
        {
            _events.End(new SessionFailed(ErrorCodes.StreamError, "The session's event stream ended early.", true, null));
        }

        return Task.CompletedTask;
    }
}
