using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Sawt.Contracts.Sessions;

namespace Sawt.Gateway.Backend;

/// <summary>
/// A session's events between its stream subscription and the context consuming them. Adding never waits: every
/// session's events reach a gateway through one delivery queue (the Orleans client's stream consumer runs one delivery
/// at a time), so a stream callback waiting for one consumer's room would hold up every other session's audio on this
/// gateway. The bound is a count instead: once <c>capacity</c> events wait unread, <see cref="TryAdd"/> refuses and the
/// caller ends the session (the consumer fell behind). A terminal event always fits, one more at most, so a consumer
/// always learns how its session ended.
/// </summary>
/// <remarks>Thread-safe: the stream callback and the liveness watch add, one consumer reads.</remarks>
internal sealed class SessionEventQueue(int capacity)
{
    private readonly Channel<SessionEvent> _events = Channel.CreateUnbounded<SessionEvent>(new UnboundedChannelOptions { SingleReader = true });
    private int _unread;

    /// <summary>Events added and not yet read (the terminal one excluded).</summary>
    public int Unread => Volatile.Read(ref _unread);

    /// <summary>Adds an event unless <c>capacity</c> events wait unread already: then false, and nothing was added.</summary>
    public bool TryAdd(SessionEvent item)
    {
        if (Interlocked.Increment(ref _unread) > capacity)
        {
            Interlocked.Decrement(ref _unread);
            return false;
        }

        if (!_events.Writer.TryWrite(item))
        {
            // Completed meanwhile: the consumer is gone or has its end; the event is dropped.
            Interlocked.Decrement(ref _unread);
        }

        return true;
    }

    /// <summary>Adds the session's last event, whatever is unread, and completes.</summary>
    public void End(SessionEvent terminal)
    {
        _events.Writer.TryWrite(terminal);
        _events.Writer.TryComplete();
    }

    /// <summary>Completes without a terminal event (the consumer went away).</summary>
    public void Complete() => _events.Writer.TryComplete();

    public async IAsyncEnumerable<SessionEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in _events.Reader.ReadAllAsync(cancellationToken))
        {
            if (item is not (SessionCompleted or SessionFailed))
            {
                Interlocked.Decrement(ref _unread);
            }

            yield return item;
        }
    }
}
