using Microsoft.Extensions.Time.Testing;

namespace Sawt.Streaming.Tests;

[Trait("Category", "Unit")]
public sealed class LongPollQueueTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Dequeue_ItemsWaiting_TakesAtMostMaxInOrderWithoutWaiting()
    {
        var queue = new LongPollQueue<int>(capacity: 10, _time);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(queue.TryEnqueue(i));
        }

        var first = queue.DequeueAsync(3, Wait, TestContext.Current.CancellationToken);
        Assert.True(first.IsCompletedSuccessfully);
        Assert.Equal([0, 1, 2], await first);
        Assert.Equal([3, 4], await queue.DequeueAsync(0, Wait, TestContext.Current.CancellationToken));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Dequeue_Empty_WaitsUntilAnItemArrives()
    {
        var queue = new LongPollQueue<int>(capacity: 10, _time);
        var read = queue.DequeueAsync(10, Wait, TestContext.Current.CancellationToken);
        Assert.False(read.IsCompleted);

        Assert.True(queue.TryEnqueue(7));
        Assert.Equal([7], await read.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Dequeue_NothingArrives_EmptyAfterTheWait()
    {
        var queue = new LongPollQueue<int>(capacity: 10, _time);
        var read = queue.DequeueAsync(10, Wait, TestContext.Current.CancellationToken);
        _time.Advance(Wait - TimeSpan.FromMilliseconds(1));
        Assert.False(read.IsCompleted);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Empty(await read.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

        // The queue still works after an empty read.
        var next = queue.DequeueAsync(10, Wait, TestContext.Current.CancellationToken);
        queue.TryEnqueue(1);
        Assert.Equal([1], await next.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Dequeue_TwoWaitingReaders_BothWokenAndTheItemTakenOnce()
    {
        var queue = new LongPollQueue<int>(capacity: 10, _time);
        var a = queue.DequeueAsync(10, Wait, TestContext.Current.CancellationToken);
        var b = queue.DequeueAsync(10, Wait, TestContext.Current.CancellationToken);
        queue.TryEnqueue(5);

        var results = await Task.WhenAll(a, b).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal([5], results.SelectMany(r => r));
    }

    [Fact]
    public async Task Dequeue_CancelledWhileWaiting_EmptyAndTakesNothing()
    {
        var queue = new LongPollQueue<int>(capacity: 10, _time);
        using var cancel = new CancellationTokenSource();
        var read = queue.DequeueAsync(10, Wait, cancel.Token);
        await cancel.CancelAsync();
        Assert.Empty(await read.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

        queue.TryEnqueue(3);
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void TryEnqueue_Full_Refused()
    {
        var queue = new LongPollQueue<int>(capacity: 2, _time);
        Assert.True(queue.TryEnqueue(1));
        Assert.True(queue.TryEnqueue(2));
        Assert.False(queue.TryEnqueue(3));
        Assert.Equal(2, queue.Count);
    }

    [Fact]
    public async Task ReturnToFront_TakenItems_ComeBackFirstInTheirOrder()
    {
        var queue = new LongPollQueue<int>(capacity: 10, _time);
        foreach (var i in new[] { 1, 2, 3, 4 })
        {
            queue.TryEnqueue(i);
        }

        var taken = await queue.DequeueAsync(2, Wait, TestContext.Current.CancellationToken);
        queue.TryEnqueue(5);
        queue.ReturnToFront(taken);

        Assert.Equal([1, 2, 3, 4, 5], await queue.DequeueAsync(0, Wait, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ReturnToFront_ReaderWaiting_WakesIt()
    {
        var queue = new LongPollQueue<int>(capacity: 10, _time);
        var read = queue.DequeueAsync(10, Wait, TestContext.Current.CancellationToken);
        queue.ReturnToFront([8, 9]);
        Assert.Equal([8, 9], await read.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }
}
