namespace Sawt.Streaming;

/// <summary>What a producer publishes: the events of one <c>OnNextAsync</c>/<c>OnNextBatchAsync</c> call for a stream.</summary>
[GenerateSerializer, Immutable, Alias("sawt.long-poll-message")]
internal sealed record LongPollMessage(
    [property: Id(0)] StreamId StreamId,
    [property: Id(1)] object[] Events,
    [property: Id(2)] Dictionary<string, object>? RequestContext);
