using Sawt.Streaming;

namespace Sawt.Grains.Hosting;

/// <summary>
/// Session event streams (section <c>Sawt:Streams</c>): the long-poll stream provider that carries audio from
/// session grains to gateways. Read once when the silo is built.
/// </summary>
public sealed class SessionStreamOptions
{
    public const string SectionName = "Sawt:Streams";

    private static readonly LongPollStreamOptions Defaults = new();

    /// <inheritdoc cref="LongPollStreamOptions.QueueCount"/>
    public int QueueCount { get; set; } = Defaults.QueueCount;

    /// <inheritdoc cref="LongPollStreamOptions.PollWait"/>
    public TimeSpan PollWait { get; set; } = Defaults.PollWait;

    /// <inheritdoc cref="LongPollStreamOptions.RestartDelay"/>
    public TimeSpan RestartDelay { get; set; } = Defaults.RestartDelay;

    /// <inheritdoc cref="LongPollStreamOptions.MaxQueuedEvents"/>
    public int MaxQueuedEvents { get; set; } = Defaults.MaxQueuedEvents;

    /// <inheritdoc cref="LongPollStreamOptions.CacheSize"/>
    public int CacheSize { get; set; } = Defaults.CacheSize;

    /// <inheritdoc cref="LongPollStreamOptions.StreamInactivityPeriod"/>
    public TimeSpan StreamInactivityPeriod { get; set; } = Defaults.StreamInactivityPeriod;

    /// <inheritdoc cref="LongPollStreamOptions.UnreadRetention"/>
    public TimeSpan UnreadRetention { get; set; } = Defaults.UnreadRetention;

    internal LongPollStreamOptions ToProviderOptions() => new()
    {
        QueueCount = QueueCount,
        PollWait = PollWait,
        RestartDelay = RestartDelay,
        MaxQueuedEvents = MaxQueuedEvents,
        CacheSize = CacheSize,
        StreamInactivityPeriod = StreamInactivityPeriod,
        UnreadRetention = UnreadRetention,
    };
}
