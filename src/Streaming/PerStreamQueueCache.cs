using System.Diagnostics.CodeAnalysis;
using Orleans.Streams;

namespace Sawt.Streaming;

/// <summary>
/// A pulling agent's cache for one queue that keeps each stream's events in its own list and lets go of an event as
/// soon as every cursor of its stream has moved past it: delivered audio is released at the agent's next read, and a
/// subscriber that stops reading holds only its own stream's events, never other streams'. Not thread-safe: the
/// agent (a system target) uses it one turn at a time.
/// </summary>
/// <remarks>
/// Events are batches in the order the queue numbered them. A cursor belongs to one stream; it points at the next
/// position of that stream's list to deliver (positions only grow), and while an event is being delivered it also
/// pins that one. The provider is not rewindable, so a cursor asked for a position older than what is kept starts
/// at the oldest event kept rather than failing.
/// <para>
/// A stream without cursors keeps its events for <paramref name="unreadRetention"/>: the agent opens a subscriber's
/// cursor only when its handshake completes, and asks it to start at the first event that arrived meanwhile, so
/// those events must still be here. A full cache drops such unread events first, so streams nobody reads cannot
/// stall the ones being read.
/// </para>
/// </remarks>
internal sealed class PerStreamQueueCache(int capacity, TimeSpan unreadRetention, TimeProvider time) : IQueueCache
{
    private readonly Dictionary<StreamId, StreamLog> _streams = [];

    /// <summary>Events held, over every stream.</summary>
    public int Count { get; private set; }

    public int GetMaxAddCount() => Math.Max(1, capacity / 10);

    /// <summary>Full: the agent stops reading its queue until subscribers catch up (back-pressure to producers).</summary>
    public bool IsUnderPressure() => Count >= capacity;

    public void AddToCache(IList<IBatchContainer> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var now = time.GetTimestamp();
        foreach (var message in messages)
        {
            Log(message.StreamId).Append(message, now);
            Count++;
        }
    }

    public bool TryPurgeFromCache([MaybeNullWhen(false)] out IList<IBatchContainer> purgedItems)
    {
        List<IBatchContainer>? purged = null;
        List<StreamId>? emptied = null;
        var unreadBefore = time.GetTimestamp() - (long)(unreadRetention.TotalSeconds * time.TimestampFrequency);
        foreach (var log in _streams.Values)
        {
            Count -= log.Purge(unreadBefore, ref purged);
        }

        if (IsUnderPressure())
        {
            foreach (var log in _streams.Values)
            {
                Count -= log.Purge(long.MaxValue, ref purged);
            }
        }

        foreach (var (streamId, log) in _streams)
        {
            if (log.IsEmpty && log.Cursors.Count == 0)
            {
                (emptied ??= []).Add(streamId);
            }
        }

        foreach (var streamId in emptied ?? [])
        {
            _streams.Remove(streamId);
        }

        purgedItems = purged;
        return purged is not null;
    }

    [Obsolete("Use TryGetCacheCursor instead.")]
    public IQueueCacheCursor GetCacheCursor(StreamId streamId, StreamSequenceToken? token) => Cursor(streamId, token);

    QueueCacheCursorResult<IQueueCacheCursor> IQueueCache.TryGetCacheCursor(StreamId streamId, StreamSequenceToken? token) =>
        QueueCacheCursorResult<IQueueCacheCursor>.FromCursor(Cursor(streamId, token));

    private PerStreamQueueCacheCursor Cursor(StreamId streamId, StreamSequenceToken? token)
    {
        var log = Log(streamId);
        var cursor = new PerStreamQueueCacheCursor(log, token);
        log.Cursors.Add(cursor);
        return cursor;
    }

    private StreamLog Log(StreamId streamId)
    {
        if (!_streams.TryGetValue(streamId, out var log))
        {
            _streams[streamId] = log = new StreamLog();
        }

        return log;
    }

    /// <summary>One stream's events, oldest first, and the cursors reading them.</summary>
    internal sealed class StreamLog
    {
        private readonly LinkedList<(IBatchContainer Batch, long AddedAt)> _events = new();

        /// <summary>Stream position of the oldest event kept; positions count every event ever added to the stream.</summary>
        public long First { get; private set; }

        /// <summary>Position the next added event gets.</summary>
        public long End => First + _events.Count;

        public bool IsEmpty => _events.Count == 0;

        public List<PerStreamQueueCacheCursor> Cursors { get; } = [];

        /// <param name="batch">The next event of the stream.</param>
        /// <param name="addedAt">When it arrived, as a <see cref="TimeProvider"/> timestamp.</param>
        public void Append(IBatchContainer batch, long addedAt) => _events.AddLast((batch, addedAt));

        /// <summary>The event at a position, or null when it is not (or no longer, or not yet) kept.</summary>
        public IBatchContainer? At(long position)
        {
            if (position < First || position >= End)
            {
                return null;
            }

            // Cursors read near the head of a short list: walk from whichever end is closer.
            var offset = position - First;
            if (offset < _events.Count / 2)
            {
                var node = _events.First;
                for (var i = 0L; i < offset; i++)
                {
                    node = node!.Next;
                }

                return node!.Value.Batch;
            }

            var back = _events.Last;
            for (var i = _events.Count - 1L; i > offset; i--)
            {
                back = back!.Previous;
            }

            return back!.Value.Batch;
        }

        /// <summary>The first position whose event is at or after <paramref name="token"/>, or <see cref="End"/> when none is yet.</summary>
        public long PositionOf(StreamSequenceToken token)
        {
            var position = First;
            for (var node = _events.First; node is not null; node = node.Next, position++)
            {
                // A batch holds events (sequence, 0..n-1): a token inside it still needs the batch.
                if (node.Value.Batch.SequenceToken.SequenceNumber >= token.SequenceNumber)
                {
                    return position;
                }
            }

            return End;
        }

        /// <summary>
        /// Drops the events every cursor has passed; when no cursor reads this stream, the events that arrived before
        /// <paramref name="unreadBefore"/> (a timestamp).
        /// </summary>
        public int Purge(long unreadBefore, ref List<IBatchContainer>? purged)
        {
            var keepFrom = End;
            foreach (var cursor in Cursors)
            {
                keepFrom = Math.Min(keepFrom, cursor.PinnedFrom);
            }

            var removed = 0;
            while (_events.First is { } oldest && (Cursors.Count > 0 ? First < keepFrom : oldest.Value.AddedAt < unreadBefore))
            {
                (purged ??= []).Add(oldest.Value.Batch);
                _events.RemoveFirst();
                First++;
                removed++;
            }

            return removed;
        }
    }
}
