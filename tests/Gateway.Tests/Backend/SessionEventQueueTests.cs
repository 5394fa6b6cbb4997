using Sawt.Contracts.Sessions;
using Sawt.Gateway.Backend;

namespace Sawt.Gateway.Tests.Backend;

/// <summary>
/// The buffer between a session's stream and its context: adding never waits (the stream delivery is shared by every
/// session of the gateway), it refuses past its bound, and the terminal event always fits.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SessionEventQueueTests
{
    private const int Capacity = 3;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void TryAdd_UpToCapacityUnread_ThenRefuses_WithoutWaiting()
    {
        var queue = new SessionEventQueue(Capacity);

        Assert.All(Enumerable.Range(0, Capacity), i => Assert.True(queue.TryAdd(Chunk(i))));
        Assert.False(queue.TryAdd(Chunk(Capacity)));
        Assert.Equal(Capacity, queue.Unread);
    }

    [Fact]
    public async Task Reading_MakesRoomAgain_InOrder()
    {
        var queue = new SessionEventQueue(Capacity);
        for (var i = 0; i < Capacity; i++)
        {
            Assert.True(queue.TryAdd(Chunk(i)));
        }

        await using var reader = queue.ReadAllAsync(Token).GetAsyncEnumerator(Token);
        Assert.True(await reader.MoveNextAsync());
        Assert.Equal(0, ((AudioChunkEvent)reader.Current).Sequence);
        Assert.True(queue.TryAdd(Chunk(Capacity)));
        Assert.False(queue.TryAdd(Chunk(Capacity + 1)));

        var rest = new List<int>();
        queue.Complete();
        while (await reader.MoveNextAsync())
        {
            rest.Add(((AudioChunkEvent)reader.Current).Sequence);
        }

        Assert.Equal([1, 2, Capacity], rest);
        Assert.Equal(0, queue.Unread);
    }

    [Fact]
    public async Task End_WhenFull_StillDeliversTheTerminalAfterEverythingUnread()
    {
        var queue = new SessionEventQueue(Capacity);
        for (var i = 0; i < Capacity; i++)
        {
            Assert.True(queue.TryAdd(Chunk(i)));
        }

        Assert.False(queue.TryAdd(Chunk(Capacity)));
        queue.End(new SessionFailed("slow_consumer", "behind", Retryable: true, RetryAfterSeconds: null));

        var events = new List<SessionEvent>();
        await foreach (var item in queue.ReadAllAsync(Token))
        {
            events.Add(item);
        }

        Assert.Equal(Capacity + 1, events.Count);
        Assert.Equal("slow_consumer", Assert.IsType<SessionFailed>(events[^1]).Code);
        Assert.Equal([0, 1, 2], events.OfType<AudioChunkEvent>().Select(c => c.Sequence));
    }

    private static AudioChunkEvent Chunk(int sequence) => new(sequence, [1, 2], "pcm_s16le", 24000, sequence * 40, 40, 0, 1, 0, 1, IsFinal: false);
}
