namespace Sawt.Streaming;

/// <summary>Settings of a long-poll stream provider (see <see cref="LongPollStreamsExtensions"/>).</summary>
public sealed record LongPollStreamOptions
{
    /// <summary>Queues the provider's streams are spread over; each has one pulling agent somewhere in the cluster.</summary>
    public int QueueCount { get; init; } = 8;

    /// <summary>
    /// How long one read waits for an event before it returns empty. An idle queue costs one read per period; a
    /// published event is handed to the waiting read at once, so this does not add latency.
    /// </summary>
    public TimeSpan PollWait { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Delay before a pulling agent reads again after it paused (an empty read, or a new stream registering with
    /// pub-sub). This, not <see cref="PollWait"/>, bounds the extra latency of a new stream's first event.
    /// </summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Events a queue holds before delivery; publishing beyond it fails (the consumers are not keeping up).</summary>
    public int MaxQueuedEvents { get; init; } = 16_384;

    /// <summary>
    /// Events each pulling agent's cache may hold between reading them and delivering them to every subscriber of
    /// their stream; when full, the agent stops reading its queue until subscribers catch up. Delivered events leave
    /// the cache at the agent's next read; a subscriber that stops reading holds only its own stream's events.
    /// </summary>
    public int CacheSize { get; init; } = 4096;

    /// <summary>
    /// How long the cache keeps events of a stream that no subscriber reads yet. A subscriber's first events can
    /// arrive while its registration with the pulling agent is still under way; they wait here for it. Events a
    /// subscriber has read leave at once; a full cache drops unread events first.
    /// </summary>
    public TimeSpan UnreadRetention { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A stream with no events for this long is forgotten by its pulling agent (re-registered if it resumes).</summary>
    public TimeSpan StreamInactivityPeriod { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(QueueCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxQueuedEvents);
        ArgumentOutOfRangeException.ThrowIfLessThan(CacheSize, 10);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollWait, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RestartDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(StreamInactivityPeriod, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(UnreadRetention, TimeSpan.Zero);
    }
}
