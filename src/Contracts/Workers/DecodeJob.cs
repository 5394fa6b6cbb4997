namespace Sawt.Contracts.Workers;

/// <summary>Decode a window of speech tokens (all below 6561) for a voice revision; the result covers exactly these tokens.</summary>
/// <param name="VoiceId">The voice.</param>
/// <param name="Tokens">Speech tokens, each below 6561.</param>
/// <param name="VoiceRevision">The voice revision the session pinned.</param>
/// <param name="Quality">Decoder quality tier (<c>fast</c>, <c>balanced</c>, <c>best</c>); null is <c>balanced</c>, the worker's default variant.</param>
/// <param name="First">The session's first chunk: the worker measures what these cost it (see <see cref="WorkerLoadReport.FirstChunkMilliseconds"/>).</param>
[GenerateSerializer, Immutable, Alias("sawt.decode-job")]
public sealed record DecodeJob([property: Id(0)] string VoiceId, [property: Id(1)] long[] Tokens, [property: Id(2)] string VoiceRevision, [property: Id(3)] string? Quality = null, [property: Id(4)] bool First = false);
