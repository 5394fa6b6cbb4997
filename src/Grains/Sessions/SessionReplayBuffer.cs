using Sawt.Contracts.Sessions;

namespace Sawt.Grains.Sessions;

/// <summary>
/// The audio chunks a session published that its gateway has not acknowledged yet, and its final event, so a gateway
/// whose stream stalled or lost its subscription (a silo carrying the stream left) can fetch what it missed from the
/// session itself (<see cref="ITtsSessionGrain.Replay"/>). Bounded: beyond <c>maxChunks</c> or <c>maxBytes</c> of
/// unacknowledged audio the oldest chunks are dropped, and a replay from a dropped chunk says it is incomplete.
/// </summary>
/// <remarks>Not thread-safe: the session's activation owns it (one turn at a time).</remarks>
internal sealed class SessionReplayBuffer(int maxChunks, long maxBytes)
{
    private readonly Queue<AudioChunkEvent> _chunks = new();
    private TaskCompletionSource _changed = NewSignal();
    private long _bytes;

    // Chunks below this were acknowledged or dropped; a replay from below it cannot be whole.
    private int _heldFrom;

    /// <summary>The session's final event (completed or failed) once published.</summary>
    public SessionEvent? Terminal { get; private set; }

    /// <summary>
    /// The gateway acknowledged the final event, or let the session go before it (its client left, read too slowly or
    /// was told the session was lost): nobody will ask for a replay any more, and nothing more is kept.
    /// </summary>
    public bool Settled { get; private set; }

    /// <summary>Audio chunks recorded so far (the next chunk's sequence number), acknowledged or not.</summary>
    public int Published { get; private set; }

    /// <summary>Chunks held.</summary>
    public int Count => _chunks.Count;

    /// <summary>Bytes of audio held.</summary>
    public long Bytes => _bytes;

    /// <summary>Completes when an event is recorded (a waiting replay looks again).</summary>
    public Task Changed => _changed.Task;

    /// <summary>Records a published event: audio chunks (in sequence order) and the final event; others are not replayed.</summary>
    public void Record(SessionEvent sessionEvent)
    {
        switch (sessionEvent)
        {
            case AudioChunkEvent chunk:
                Published = Math.Max(Published, chunk.Sequence + 1);
                if (Settled)
                {
                    return; // nobody will ask for it
                }

                _chunks.Enqueue(chunk);
                _bytes += chunk.Data.Length;
                Trim();
                break;
            case SessionCompleted or SessionFailed when Terminal is null:
                Terminal = sessionEvent;
                break;
            default:
                return;
        }

        _changed.TrySetResult();
        _changed = NewSignal();
    }

    /// <summary>
    /// The gateway holds every chunk below <paramref name="delivered"/>; <paramref name="ended"/>: and the final event,
    /// or it wants nothing more of this session.
    /// </summary>
    public void Acknowledge(int delivered, bool ended)
    {
        _heldFrom = Math.Max(_heldFrom, delivered);
        while (_chunks.TryPeek(out var oldest) && oldest.Sequence < delivered)
        {
            _bytes -= _chunks.Dequeue().Data.Length;
        }

        Settled |= ended;
        if (Settled)
        {
            _bytes = 0;
            _chunks.Clear();
        }
    }

    /// <summary>
    /// What follows chunk <paramref name="fromSequence"/> - 1: the chunks held from it on, then the final event once
    /// published. Not whole when a chunk from there on was dropped by the cap (or acknowledged before).
    /// </summary>
    public SessionReplay Replay(int fromSequence)
    {
        if (fromSequence < _heldFrom)
        {
            return new SessionReplay([], Whole: false);
        }

        var events = new List<SessionEvent>();
        foreach (var chunk in _chunks)
        {
            if (chunk.Sequence >= fromSequence)
            {
                events.Add(chunk);
            }
        }

        if (Terminal is { } terminal)
        {
            events.Add(terminal);
        }

        return new SessionReplay([.. events], Whole: true);
    }

    /// <summary>Drops the oldest chunks beyond the cap (one is always kept, however large).</summary>
    private void Trim()
    {
        while (_chunks.Count > 1 && (_chunks.Count > maxChunks || _bytes > maxBytes))
        {
            var dropped = _chunks.Dequeue();
            _bytes -= dropped.Data.Length;
            _heldFrom = dropped.Sequence + 1;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
