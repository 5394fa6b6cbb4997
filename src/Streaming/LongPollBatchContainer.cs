using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Sawt.Streaming;

/// <summary>
/// A published message with the sequence number its queue gave it. Immutable, so delivering it to a subscriber in the
/// same silo passes the events (and their audio bytes) by reference instead of copying them.
/// </summary>
[GenerateSerializer, Immutable, Alias("sawt.long-poll-batch")]
internal sealed class LongPollBatchContainer(LongPollMessage message, EventSequenceToken token) : IBatchContainer
{
    [Id(0)]
    private readonly LongPollMessage _message = message;

    [Id(1)]
    private readonly EventSequenceToken _token = token;

    public StreamId StreamId => _message.StreamId;

    public StreamSequenceToken SequenceToken => _token;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        var events = _message.Events;
        for (var i = 0; i < events.Length; i++)
        {
            if (events[i] is T item)
            {
                yield return Tuple.Create<T, StreamSequenceToken>(item, _token.CreateSequenceTokenForEvent(i));
            }
        }
    }

    public bool ImportRequestContext()
    {
        if (_message.RequestContext is not { } context)
        {
            return false;
        }

        RequestContextExtensions.Import(context);
        return true;
    }
}
