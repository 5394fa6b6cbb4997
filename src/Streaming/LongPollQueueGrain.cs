using Orleans.Placement;
using Orleans.Providers.Streams.Common;

namespace Sawt.Streaming;

/// <summary>
/// Holds one queue's undelivered messages in memory. Its pulling agent keeps a read waiting here, so an enqueue
/// completes that read at once: no polling while idle, no polling delay under load.
/// </summary>
[PreferLocalPlacement] // The agent's first read activates it, so the waiting read stays inside the agent's silo.
[KeepAlive] // Holds undelivered events in memory: collecting it between two reads would lose them.
internal sealed class LongPollQueueGrain : Grain, ILongPollQueueGrain
{
    private readonly LongPollQueue<LongPollBatchContainer> _queue;

    // Sequence numbers only grow, also across re-activations, because the queue cache orders events by them.
    private long _sequence = DateTime.UtcNow.Ticks;

    public LongPollQueueGrain(LongPollQueueLimit limit, TimeProvider time)
    {
        _queue = new LongPollQueue<LongPollBatchContainer>(limit.MaxQueuedEvents, time);
    }

    public Task Enqueue(LongPollMessage message)
    {
        if (!_queue.TryEnqueue(new LongPollBatchContainer(message, new EventSequenceToken(_sequence++))))
        {
            throw new InvalidOperationException($"Stream queue {this.GetPrimaryKeyString()} is full ({_queue.Count} undelivered events); its consumers are not keeping up.");
        }

        return Task.CompletedTask;
    }

    public Task<List<LongPollBatchContainer>> Dequeue(int maxCount, TimeSpan wait) => _queue.DequeueAsync(maxCount, wait);

    public Task Requeue(List<LongPollBatchContainer> batches)
    {
        _queue.ReturnToFront(batches);
        return Task.CompletedTask;
    }
}

/// <summary>The queue bound of the silo's long-poll providers, registered once per silo.</summary>
internal sealed record LongPollQueueLimit(int MaxQueuedEvents);
