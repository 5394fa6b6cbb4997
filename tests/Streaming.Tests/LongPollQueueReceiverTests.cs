using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Sawt.Streaming.Tests;

[Trait("Category", "Unit")]
public sealed class LongPollQueueReceiverTests
{
    [Fact]
    public async Task GetQueueMessages_AgentStopping_ReturnsTheEventsToTheQueue()
    {
        var queue = new ScriptedQueueGrain([Batch(1), Batch(2)]);
        var receiver = new LongPollQueueReceiver(queue, TimeSpan.FromSeconds(1), _ => { });
        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();

        var read = await receiver.GetQueueMessagesAsync(10, stopping.Token);

        Assert.Empty(read);
        Assert.Equal([1L, 2L], queue.Requeued.Select(b => b.SequenceToken.SequenceNumber));
    }

    [Fact]
    public async Task GetQueueMessages_Running_HandsTheEventsOn()
    {
        var queue = new ScriptedQueueGrain([Batch(1)]);
        var receiver = new LongPollQueueReceiver(queue, TimeSpan.FromSeconds(1), _ => { });

        var read = await receiver.GetQueueMessagesAsync(10, TestContext.Current.CancellationToken);

        Assert.Equal([1L], read.Select(b => b.SequenceToken.SequenceNumber));
        Assert.Empty(queue.Requeued);
    }

    private static LongPollBatchContainer Batch(long sequence) =>
        new(new LongPollMessage(StreamId.Create("test", "s"), ["event"], null), new EventSequenceToken(sequence));

    /// <summary>Answers the first read with the given batches and records what is given back.</summary>
    private sealed class ScriptedQueueGrain(List<LongPollBatchContainer> firstRead) : ILongPollQueueGrain
    {
        public List<LongPollBatchContainer> Requeued { get; } = [];

        public Task Enqueue(LongPollMessage message) => throw new NotSupportedException();

        public Task<List<LongPollBatchContainer>> Dequeue(int maxCount, TimeSpan wait) => Task.FromResult(firstRead);

        public Task Requeue(List<LongPollBatchContainer> batches)
        {
            Requeued.AddRange(batches);
            return Task.CompletedTask;
        }
    }
}
