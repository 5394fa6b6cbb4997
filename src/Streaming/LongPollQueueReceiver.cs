using Orleans.Streams;

namespace Sawt.Streaming;

/// <summary>
/// A pulling agent's reader of one queue. Each read waits in the queue grain until an event arrives or
/// <see cref="LongPollStreamOptions.PollWait"/> passes, so an idle agent sleeps instead of polling.
/// <paramref name="reading"/> is told when its agent starts (true) and stops (false) reading the queue.
/// </summary>
internal sealed class LongPollQueueReceiver(ILongPollQueueGrain queue, TimeSpan pollWait, Action<bool> reading) : IQueueAdapterReceiver
{
    public Task Initialize(TimeSpan timeout)
    {
        reading(true);
        return Task.CompletedTask;
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        var batches = await queue.Dequeue(maxCount, pollWait);
        if (cancellationToken.IsCancellationRequested && batches.Count > 0)
        {
            // The agent is stopping and drops whatever this read returns: give the events back to the queue, so the
            // agent that takes the queue over delivers them.
            await queue.Requeue(batches);
            return [];
        }

        return [.. batches];
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => Task.CompletedTask;

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task Shutdown(TimeSpan timeout)
    {
        reading(false);
        return Task.CompletedTask;
    }
}
