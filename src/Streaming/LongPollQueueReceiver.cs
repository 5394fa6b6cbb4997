using Orleans.Streams;

namespace Sawt.Streaming;

/// <summary>
/// A pulling agent's reader of one queue. Each read waits in the queue grain until an event arrives or
/// <see cref="LongPollStreamOptions.PollWait"/> passes, so an idle agent sleeps instead of polling.
/// </summary>
internal sealed class LongPollQueueReceiver(ILongPollQueueGrain queue, TimeSpan pollWait) : IQueueAdapterReceiver
{
    public Task Initialize(TimeSpan timeout) => Task.CompletedTask;

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

    public Task Shutdown(TimeSpan timeout) => Task.CompletedTask;
}
