namespace Sawt.Contracts.Sessions;

/// <summary>
/// A session's answer to <see cref="ITtsSessionGrain.Probe"/>, published on its stream: its arrival shows the subscriber
/// that the session and the stream between them still work. Not part of the utterance; consumers skip it.
/// </summary>
/// <param name="Probe">The number the subscriber asked with.</param>
[GenerateSerializer, Immutable, Alias("sawt.session-probed")]
public sealed record SessionProbed([property: Id(0)] long Probe) : SessionEvent;
