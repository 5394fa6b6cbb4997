using Orleans.Streams;

namespace Sawt.Streaming;

/// <summary>Gives each pulling agent its own <see cref="PerStreamQueueCache"/>.</summary>
internal sealed class PerStreamQueueAdapterCache(int capacity, TimeSpan unreadRetention, TimeProvider time) : IQueueAdapterCache
{
    public IQueueCache CreateQueueCache(QueueId queueId) => new PerStreamQueueCache(capacity, unreadRetention, time);
}
