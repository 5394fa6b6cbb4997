using Orleans.Streams;

namespace Sawt.Streaming;

/// <summary>A subscriber's position in one stream of a <see cref="PerStreamQueueCache"/>.</summary>
internal sealed class PerStreamQueueCacheCursor : IQueueCacheCursor
{
    private readonly PerStreamQueueCache.StreamLog _log;
    private StreamSequenceToken? _startToken;
    private long _next;
    private IBatchContainer? _current;
    private bool _disposed;

    /// <param name="log">The stream's events.</param>
    /// <param name="startToken">First event to deliver (inclusive); null: only events added from now on.</param>
    public PerStreamQueueCacheCursor(PerStreamQueueCache.StreamLog log, StreamSequenceToken? startToken)
    {
        _log = log;
        _next = log.End;
        _startToken = startToken;
        ResolveStart();
    }

    /// <summary>Oldest position this cursor still needs: the event being delivered, else the next one.</summary>
    public long PinnedFrom => _current is null ? _next : _next - 1;

    public IBatchContainer? GetCurrent(out Exception? exception)
    {
        exception = null;
        return _current;
    }

    [Obsolete("Use MoveNextWithResult instead.")]
    public bool MoveNext() => Advance();

    QueueCacheCursorMoveResult IQueueCacheCursor.MoveNextWithResult() =>
        Advance() ? QueueCacheCursorMoveResult.Success : QueueCacheCursorMoveResult.NoData;

    /// <summary>New events arrived from <paramref name="token"/> on; a cursor still waiting for its start takes them.</summary>
    public void Refresh(StreamSequenceToken token) => ResolveStart();

    public void RecordDeliveryFailure()
    {
        // Nothing is redelivered: the provider keeps no history, and a failed subscriber is dropped by the agent.
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _current = null;
            _log.Cursors.Remove(this);
        }
    }

    private bool Advance()
    {
        ResolveStart();
        if (_startToken is not null || _disposed)
        {
            _current = null;
            return false;
        }

        // Events purged before this cursor read them were not its own to read (it joined later): start at what is kept.
        _next = Math.Max(_next, _log.First);
        _current = _log.At(_next);
        if (_current is null)
        {
            return false;
        }

        _next++;
        return true;
    }

    /// <summary>A cursor created for a token is placed once an event at or after that token is kept.</summary>
    private void ResolveStart()
    {
        if (_startToken is null)
        {
            return;
        }

        var position = _log.PositionOf(_startToken);
        if (position < _log.End)
        {
            _next = position;
            _startToken = null;
        }
    }
}
