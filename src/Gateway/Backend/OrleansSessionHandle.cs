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
/// Once the session has started, a <see cref="SessionStreamLiveness"/> watch ends the events with the retryable
/// <c>unavailable</c> when the session or its stream is lost (a silo left the cluster), so a consumer never waits forever.
/// </summary>
internal sealed class OrleansSessionHandle : ISessionHandle
{
    private const int MaxReorder = 32;

    private readonly ITtsSessionGrain _grain;
    private readonly ILogger _logger;
    private readonly SessionEventQueue _events;
    private readonly CancellationTokenSource _disposed = new();
    private readonly SortedDictionary<int, AudioChunkEvent> _pending = [];
    private readonly SessionStreamLiveness _liveness;
    private readonly TimeSpan _probeTimeout;
    private readonly SessionLeaseRenewal _renewal;
    private StreamSubscriptionHandle<SessionEvent>? _subscription;
    private Task _watching = Task.CompletedTask;
    private Task _cancelling = Task.CompletedTask;
    private Task _renewing = Task.CompletedTask;
    private int _nextSequence;

    // 1 once the terminal event is decided: by the stream callback, or by the liveness watch (another thread).
    private int _terminal;

    public OrleansSessionHandle(Guid sessionId, ITtsSessionGrain grain, GatewayOptions options, TimeProvider time, ILogger logger)
    {
        SessionId = sessionId;
        _grain = grain;
        _logger = logger;
        _probeTimeout = options.StreamProbeTimeout;
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

    /// <summary>
    /// Starts watching the stream's liveness and renewing the session's lease until its terminal event; call once the
    /// session has started (before, there is nothing to probe or renew).
    /// </summary>
    public void WatchLiveness()
    {
        _watching = WatchAsync();
        _renewing = _renewal.RunAsync(() => Volatile.Read(ref _terminal) != 0, _disposed.Token);
    }

    public Task AppendTextAsync(string text, CancellationToken cancellationToken = default) =>
        _grain.AppendText(text).WaitAsync(cancellationToken);

    public Task FlushAsync(CancellationToken cancellationToken = default) => _grain.Flush().WaitAsync(cancellationToken);

    public Task CompleteAsync(CancellationToken cancellationToken = default) => _grain.Complete().WaitAsync(cancellationToken);

    public Task CancelAsync(CancellationToken cancellationToken = default) => _grain.Cancel().WaitAsync(cancellationToken);

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

    private Task OnNextAsync(SessionEvent item, StreamSequenceToken? token)
    {
        _liveness.Heard();
        if (Volatile.Read(ref _terminal) == 0 && item is not SessionProbed)
        {
            Deliver(item);
        }

        return Task.CompletedTask;
    }

    private void Deliver(SessionEvent item)
    {
        switch (item)
        {
            case AudioChunkEvent chunk when chunk.Sequence < _nextSequence:
                GatewayLog.DuplicateChunk(_logger, SessionId, chunk.Sequence);
                return;
            case AudioChunkEvent chunk when chunk.Sequence > _nextSequence:
                _pending[chunk.Sequence] = chunk;
                if (_pending.Count > MaxReorder)
                {
                    Fail(ErrorCodes.AudioGap, $"Audio chunk {_nextSequence} never arrived.");
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

                return;
            case SessionCompleted when _pending.Count > 0:
                Fail(ErrorCodes.AudioGap, $"Audio chunk {_nextSequence} never arrived.");
                return;
            case SessionCompleted or SessionFailed:
                if (TryEnd())
                {
                    _events.End(item);
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
    /// Ends the events with the retryable <c>unavailable</c> once the liveness watch finds the session or its stream
    /// lost, and cancels the session in case it still runs somewhere unheard.
    /// </summary>
    private async Task WatchAsync()
    {
        await Task.Yield(); // The caller goes on; the watch runs beside the stream callbacks.
        if (!await _liveness.WatchAsync(_disposed.Token))
        {
            return;
        }

        Fail(
            ErrorCodes.Unavailable,
            "The session stopped reaching this gateway (a silo running it, or carrying its audio, left the cluster); start the utterance again.",
            retryAfterSeconds: 1);
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
