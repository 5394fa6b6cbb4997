using Microsoft.Extensions.Time.Testing;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Sawt.Streaming.Tests;

[Trait("Category", "Unit")]
public sealed class PerStreamQueueCacheTests
{
    private static readonly StreamId A = StreamId.Create("test", "a");
    private static readonly StreamId B = StreamId.Create("test", "b");

    private static readonly TimeSpan UnreadRetention = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private long _sequence = 100;

    [Fact]
    public void Cursor_TwoStreamsInterleaved_ReadsOnlyItsOwnEventsInOrder()
    {
        var cache = Cache(capacity: 100);
        var first = Batch(A);
        cache.AddToCache([first, Batch(B), Batch(A), Batch(B), Batch(A)]);

        using var cursor = Open(cache, A, first.SequenceToken);
        Assert.Equal([100L, 102L, 104L], ReadAll(cursor));
    }

    [Fact]
    public void Cursor_NoToken_SeesOnlyEventsAddedAfterIt()
    {
        var cache = Cache(capacity: 100);
        cache.AddToCache([Batch(A), Batch(A)]);
        using var cursor = Open(cache, A, null);
        Assert.Empty(ReadAll(cursor));

        cache.AddToCache([Batch(A)]);
        Assert.Equal([102L], ReadAll(cursor));
    }

    [Fact]
    public void Cursor_TokenNotYetArrived_WaitsAndStartsThere()
    {
        var cache = Cache(capacity: 100);
        cache.AddToCache([Batch(A)]);
        using var cursor = Open(cache, A, new EventSequenceToken(102));
        Assert.Empty(ReadAll(cursor));

        var skipped = Batch(A);
        var wanted = Batch(A);
        cache.AddToCache([skipped, wanted]);
        cursor.Refresh(wanted.SequenceToken);
        Assert.Equal([102L], ReadAll(cursor));
        Assert.Equal(101, skipped.SequenceToken.SequenceNumber);
    }

    [Fact]
    public void Purge_DeliveredEvents_ReleasedButTheOneBeingDeliveredKept()
    {
        var cache = Cache(capacity: 100);
        var first = Batch(A);
        cache.AddToCache([first, Batch(A), Batch(A)]);
        using var cursor = Open(cache, A, first.SequenceToken);
        Assert.True(cursor.MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success);
        Assert.True(cursor.MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success);

        // The second event is being delivered: only the first may go.
        Assert.True(cache.TryPurgeFromCache(out var purged));
        Assert.Equal([100L], purged.Select(b => b.SequenceToken.SequenceNumber));
        Assert.Equal(2, cache.Count);

        ReadAll(cursor);
        Assert.True(cache.TryPurgeFromCache(out purged));
        Assert.Equal([101L, 102L], purged.Select(b => b.SequenceToken.SequenceNumber));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Purge_StalledSubscriber_HoldsOnlyItsOwnStream()
    {
        var cache = Cache(capacity: 100);
        var firstA = Batch(A);
        var firstB = Batch(B);
        cache.AddToCache([firstA, firstB, Batch(A), Batch(B)]);
        using var stalled = Open(cache, A, firstA.SequenceToken);
        using var reading = Open(cache, B, firstB.SequenceToken);
        ReadAll(reading);

        Assert.True(cache.TryPurgeFromCache(out var purged));
        Assert.Equal([101L, 103L], purged.Select(b => b.SequenceToken.SequenceNumber));
        Assert.Equal([100L, 102L], ReadAll(stalled));
    }

    [Fact]
    public void Purge_StreamWithoutCursors_KeepsEventsForTheRetentionThenDrops()
    {
        var cache = Cache(capacity: 100);
        cache.AddToCache([Batch(A)]);
        _time.Advance(TimeSpan.FromSeconds(5));
        cache.AddToCache([Batch(A)]);
        Assert.False(cache.TryPurgeFromCache(out _));

        _time.Advance(UnreadRetention - TimeSpan.FromSeconds(5) + TimeSpan.FromTicks(1));
        Assert.True(cache.TryPurgeFromCache(out var purged));
        Assert.Equal([100L], purged.Select(b => b.SequenceToken.SequenceNumber));

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(cache.TryPurgeFromCache(out purged));
        Assert.Equal([101L], purged.Select(b => b.SequenceToken.SequenceNumber));
        Assert.Equal(0, cache.Count);
        Assert.False(cache.TryPurgeFromCache(out _));
    }

    [Fact]
    public void Cursor_OpenedAfterAPurge_StillGetsEventsThatArrivedDuringItsHandshake()
    {
        // The agent reads a subscriber's first event, purges, and only then completes the subscriber's handshake,
        // opening its cursor at that event's token.
        var cache = Cache(capacity: 100);
        var first = Batch(A);
        cache.AddToCache([first]);
        cache.TryPurgeFromCache(out _);

        using var cursor = Open(cache, A, first.SequenceToken);
        Assert.Equal([100L], ReadAll(cursor));
    }

    [Fact]
    public void Purge_FullCache_DropsUnreadStreamsFirstAtAnyAge()
    {
        var cache = Cache(capacity: 3);
        IBatchContainer[] unread = [Batch(B), Batch(B)];
        var firstA = Batch(A);
        cache.AddToCache([.. unread, firstA]);
        using var reader = Open(cache, A, firstA.SequenceToken);
        Assert.True(cache.IsUnderPressure());

        Assert.True(cache.TryPurgeFromCache(out var purged));
        Assert.Equal([100L, 101L], purged.Select(b => b.SequenceToken.SequenceNumber));
        Assert.False(cache.IsUnderPressure());
        Assert.Equal([102L], ReadAll(reader));
    }

    [Fact]
    public void Purge_DisposedCursor_NoLongerPins()
    {
        var cache = Cache(capacity: 100);
        var first = Batch(A);
        cache.AddToCache([first, Batch(A)]);
        var cursor = Open(cache, A, first.SequenceToken);
        Assert.False(cache.TryPurgeFromCache(out _));

        cursor.Dispose();
        _time.Advance(UnreadRetention + TimeSpan.FromTicks(1));
        Assert.True(cache.TryPurgeFromCache(out var purged));
        Assert.Equal(2, purged.Count);
    }

    [Fact]
    public void Cursor_StartTokenAlreadyPurged_StartsAtOldestKept()
    {
        var cache = Cache(capacity: 100);
        var first = Batch(A);
        cache.AddToCache([first, Batch(A)]);
        using (var reader = Open(cache, A, first.SequenceToken))
        {
            Assert.True(reader.MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success);
            Assert.True(reader.MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success);
            cache.TryPurgeFromCache(out _);
        }

        using var late = Open(cache, A, first.SequenceToken);
        Assert.Equal([101L], ReadAll(late));
    }

    [Fact]
    public void Pressure_FullCache_UntilPurged()
    {
        var cache = Cache(capacity: 3);
        var first = Batch(A);
        cache.AddToCache([first, Batch(A)]);
        Assert.False(cache.IsUnderPressure());
        using var cursor = Open(cache, A, first.SequenceToken);
        cache.AddToCache([Batch(A)]);
        Assert.True(cache.IsUnderPressure());
        Assert.Equal(1, cache.GetMaxAddCount());

        ReadAll(cursor);
        cache.TryPurgeFromCache(out _);
        Assert.False(cache.IsUnderPressure());
    }

    private PerStreamQueueCache Cache(int capacity) => new(capacity, UnreadRetention, _time);

    private LongPollBatchContainer Batch(StreamId stream) =>
        new(new LongPollMessage(stream, ["event"], null), new EventSequenceToken(_sequence++));

    private static IQueueCacheCursor Open(IQueueCache cache, StreamId stream, StreamSequenceToken? token) =>
        cache.TryGetCacheCursor(stream, token).Cursor!;

    private static List<long> ReadAll(IQueueCacheCursor cursor)
    {
        var read = new List<long>();
        while (cursor.MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success)
        {
            read.Add(cursor.GetCurrent(out _)!.SequenceToken.SequenceNumber);
        }

        return read;
    }
}
