using System.Collections.Concurrent;
using Orleans.Configuration;
using Orleans.Streams;

namespace Sawt.Streaming;

/// <summary>
/// A persistent-stream adapter over in-memory <see cref="ILongPollQueueGrain"/> queues. Like Orleans' memory streams
/// it keeps nothing durable; unlike them its readers wait for events instead of polling, and its cache
/// (<see cref="PerStreamQueueCache"/>) lets go of an event once every subscriber of its stream has moved past it,
/// instead of keeping delivered events for minutes.
/// </summary>
public sealed class LongPollQueueAdapterFactory : IQueueAdapterFactory, IQueueAdapter
{
    private readonly LongPollStreamOptions _options;
    private readonly IGrainFactory _grains;
    private readonly HashRingBasedStreamQueueMapper _mapper;
    private readonly PerStreamQueueAdapterCache _cache;
    private readonly NoOpStreamDeliveryFailureHandler _failureHandler = new();
    private readonly ConcurrentDictionary<QueueId, byte> _read = new();

    public LongPollQueueAdapterFactory(string name, LongPollStreamOptions options, IGrainFactory grains, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Name = name;
        _options = options;
        _grains = grains;
        _mapper = new HashRingBasedStreamQueueMapper(new HashRingStreamQueueMapperOptions { TotalQueueCount = options.QueueCount }, name);
        _cache = new PerStreamQueueAdapterCache(options.CacheSize, options.UnreadRetention, time);
    }

    public string Name { get; }

    /// <summary>Not rewindable: subscribers start at the next event, and nothing is kept to replay.</summary>
    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(this);

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult<IStreamFailureHandler>(_failureHandler);

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) =>
        new LongPollQueueReceiver(Queue(queueId), _options.PollWait, reading => _ = reading ? _read.TryAdd(queueId, 0) : _read.TryRemove(queueId, out _));

    /// <summary>
    /// The queues this silo's pulling agents read now: each agent keeps the subscriptions of its queue's streams in
    /// memory, so these are the streams whose delivery moves to another silo when this one leaves.
    /// </summary>
    public IReadOnlyCollection<uint> QueuesRead => [.. _read.Keys.Select(q => q.GetNumericId())];

    /// <summary>The queue a stream's events go through.</summary>
    public uint QueueOf(StreamId streamId) => _mapper.GetQueueForStream(streamId).GetNumericId();

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        if (token is not null)
        {
            throw new ArgumentException("This stream provider is not rewindable; publish without a sequence token.", nameof(token));
        }

        var message = new LongPollMessage(streamId, [.. events.Cast<object>()], requestContext);
        return Queue(_mapper.GetQueueForStream(streamId)).Enqueue(message);
    }

    private ILongPollQueueGrain Queue(QueueId queueId) =>
        _grains.GetGrain<ILongPollQueueGrain>($"{Name}/{queueId.GetNumericId()}");
}
