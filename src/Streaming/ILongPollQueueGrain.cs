using Orleans.Concurrency;

namespace Sawt.Streaming;

/// <summary>One queue of a long-poll stream provider, keyed <c>{provider}/{queue number}</c>.</summary>
[Alias("sawt.ILongPollQueueGrain")]
internal interface ILongPollQueueGrain : IGrainWithStringKey
{
    /// <summary>Appends a message; fails when the queue is full (its pulling agent is not keeping up).</summary>
    [Alias("Enqueue")]
    Task Enqueue(LongPollMessage message);

    /// <summary>Takes up to <paramref name="maxCount"/> messages, waiting up to <paramref name="wait"/> for the first.</summary>
    [Alias("Dequeue")]
    [AlwaysInterleave] // A read waits here while producers keep enqueueing; the queue is only touched between awaits.
    Task<List<LongPollBatchContainer>> Dequeue(int maxCount, TimeSpan wait);

    /// <summary>Puts messages a reader took but could not deliver back at the head of the queue.</summary>
    [Alias("Requeue")]
    Task Requeue(List<LongPollBatchContainer> batches);
}
