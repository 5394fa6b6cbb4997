namespace Sawt.Contracts.Sessions;

/// <summary>
/// A session's answer to <see cref="ITtsSessionGrain.Probe"/>, published on its stream: its arrival shows the subscriber
/// that the session and the stream between them still work, and what the session had published before it. The stream
/// keeps a session's events in order, so a subscriber that has fewer chunks than <paramref name="Chunks"/>, or no end
/// although <paramref name="Ended"/>, lost them on the way (a stream queue that left with its silo) and fetches them
/// with <see cref="ITtsSessionGrain.Replay"/>. Not part of the utterance; consumers skip it.
/// </summary>
/// <param name="Probe">The number the subscriber asked with.</param>
/// <param name="Chunks">Audio chunks the session published before this answer (the next chunk's sequence number).</param>
/// <param name="Ended">The session published its final event (completed or failed) before this answer.</param>
[GenerateSerializer, Immutable, Alias("sawt.session-probed")]
public sealed record SessionProbed([property: Id(0)] long Probe, [property: Id(1)] int Chunks = 0, [property: Id(2)] bool Ended = false) : SessionEvent;
