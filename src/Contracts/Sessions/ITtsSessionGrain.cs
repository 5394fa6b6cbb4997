using Orleans.Concurrency;

namespace Sawt.Contracts.Sessions;

/// <summary>
/// One synthesis context (an utterance, or a stream of incremental text). Keyed by session id; its events go
/// to the Orleans stream (<see cref="StreamNames.Provider"/>, <see cref="StreamNames.SessionNamespace"/>, id).
/// Subscribe before calling <see cref="Start"/>.
/// </summary>
[Alias("sawt.ITtsSessionGrain")]
public interface ITtsSessionGrain : IGrainWithGuidKey
{
    /// <summary>Validates and starts; bad input fails here with <see cref="SessionRejectedException"/> and no events.</summary>
    [Alias("Start")]
    Task Start(SessionStart start);

    /// <summary>Adds incremental text (sessions started with Incremental).</summary>
    [Alias("AppendText")]
    Task AppendText(string text);

    /// <summary>Speaks the buffered text now, without waiting for a sentence boundary.</summary>
    [Alias("Flush")]
    Task Flush();

    /// <summary>End of input: the rest is spoken, then the session completes.</summary>
    [Alias("Complete")]
    Task Complete();

    /// <summary>Stops generation and decoding (within one step) and publishes a <c>cancelled</c> failure.</summary>
    [Alias("Cancel")]
    Task Cancel();

    /// <summary>
    /// Publishes <see cref="SessionProbed"/> with <paramref name="probe"/> on the session's stream, so a subscriber that
    /// heard nothing for a while can tell a quiet session from a lost one, and learns what the stream lost. Fails with
    /// the retryable <c>unavailable</c> when this session is not running in the cluster any more (a silo holding it left).
    /// </summary>
    [Alias("Probe")]
    Task Probe(long probe);

    /// <summary>
    /// The events from audio chunk <paramref name="fromSequence"/> on, from the session's replay buffer, for a subscriber
    /// whose stream stalled or lost its subscription; waits up to <paramref name="wait"/> for one when none is there yet.
    /// Counts as an acknowledgement of every chunk below <paramref name="fromSequence"/>. Fails with the retryable
    /// <c>unavailable</c> when this session is not running in the cluster any more.
    /// </summary>
    [Alias("Replay")]
    [AlwaysInterleave] // Waits for new events while text keeps arriving; it reads the replay buffer only between awaits.
    Task<SessionReplay> Replay(int fromSequence, TimeSpan wait);

    /// <summary>
    /// The subscriber holds every audio chunk below <paramref name="delivered"/> (and, when <paramref name="ended"/>, the
    /// final event, or it wants nothing more: its client left), so the session stops keeping them for a replay, and an
    /// ended session leaves at once.
    /// </summary>
    [Alias("Acknowledge"), OneWay]
    Task Acknowledge(int delivered, bool ended);

    /// <summary>
    /// Renews the session's lease (<see cref="SessionStart.Lease"/>): its caller is still there. Every other call renews it
    /// too; this one is for a caller with nothing else to say. Fails with the retryable <c>unavailable</c> when this
    /// session is not running in the cluster any more.
    /// </summary>
    [Alias("Renew")]
    Task Renew();
}
