namespace Sawt.Contracts.Sessions;

/// <summary>
/// A session's answer to <see cref="ITtsSessionGrain.Replay"/>: the events its stream should have brought from a given
/// chunk on, straight from the session.
/// </summary>
/// <param name="Events">Audio chunks in sequence order from the asked one, then the final event once the session ended.</param>
/// <param name="Whole">
/// False when the session no longer holds an asked chunk (its replay buffer reached its cap and dropped it): what is
/// missing cannot be recovered.
/// </param>
[GenerateSerializer, Immutable, Alias("sawt.session-replay")]
public sealed record SessionReplay([property: Id(0)] SessionEvent[] Events, [property: Id(1)] bool Whole);
