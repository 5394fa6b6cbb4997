namespace Sawt.Contracts.Sessions;

/// <summary>What a session publishes on its stream: started, audio chunks in order, then done or failed.</summary>
[GenerateSerializer, Immutable, Alias("sawt.session-event")]
public abstract record SessionEvent
{
    /// <summary>Milliseconds since the session started, when the event was published.</summary>
    [Id(0)] public double AtMilliseconds { get; init; }

    /// <summary>
    /// When the session published the event, by its silo's wall clock (UTC). A subscriber on the same machine, or one
    /// whose clock is synchronised, measures the stream hop as its own time of receipt minus this.
    /// </summary>
    [Id(1)] public DateTimeOffset PublishedAt { get; init; }
}

/// <summary>The session accepted the request and picked its workers.</summary>
[GenerateSerializer, Immutable, Alias("sawt.session-started")]
public sealed record SessionStarted([property: Id(0)] string T3Worker, [property: Id(1)] string DecoderWorker) : SessionEvent;

/// <summary>
/// One chunk of audio in the session's output format (see <see cref="OutputFormatSettings"/>), already
/// encoded by the session: PCM/float little-endian samples, G.711 bytes, or Opus packets each prefixed by a
/// 2-byte little-endian length. Sequence numbers are consecutive from 0; a gap means loss.
/// </summary>
/// <param name="Sequence">0-based chunk number.</param>
/// <param name="Data">Encoded audio (may be empty, e.g. a final marker or an Opus frame still filling).</param>
/// <param name="Encoding">Wire name of the encoding, e.g. <c>pcm_s16le</c>, <c>opus</c>.</param>
/// <param name="SampleRate">Output sample rate.</param>
/// <param name="StartMilliseconds">Where this chunk's audio starts in the utterance.</param>
/// <param name="DurationMilliseconds">Audio duration the chunk adds.</param>
/// <param name="TextStart">Start (UTF-16 offset) of the text span being spoken.</param>
/// <param name="TextLength">Length of that span.</param>
/// <param name="SegmentIndex">Sentence or incremental segment the chunk belongs to.</param>
/// <param name="TokenCount">Speech tokens covered.</param>
/// <param name="IsFinal">The last chunk of the session.</param>
[GenerateSerializer, Immutable, Alias("sawt.audio-chunk")]
public sealed record AudioChunkEvent(
    [property: Id(0)] int Sequence,
    [property: Id(1)] byte[] Data,
    [property: Id(2)] string Encoding,
    [property: Id(3)] int SampleRate,
    [property: Id(4)] double StartMilliseconds,
    [property: Id(5)] double DurationMilliseconds,
    [property: Id(6)] int TextStart,
    [property: Id(7)] int TextLength,
    [property: Id(8)] int SegmentIndex,
    [property: Id(9)] int TokenCount,
    [property: Id(10)] bool IsFinal) : SessionEvent;

/// <summary>The session finished; no more events follow.</summary>
[GenerateSerializer, Immutable, Alias("sawt.session-completed")]
public sealed record SessionCompleted([property: Id(0)] SessionStats Stats) : SessionEvent;

/// <summary>The session failed or was cancelled; no more events follow.</summary>
/// <param name="Code">Stable snake_case code, e.g. <c>unsupported_language</c>, <c>busy</c>, <c>cancelled</c>.</param>
/// <param name="Message">Human-readable explanation.</param>
/// <param name="Retryable">Whether the same request may succeed later.</param>
/// <param name="RetryAfterSeconds">For <c>busy</c>: when to retry.</param>
[GenerateSerializer, Immutable, Alias("sawt.session-failed")]
public sealed record SessionFailed(
    [property: Id(0)] string Code,
    [property: Id(1)] string Message,
    [property: Id(2)] bool Retryable,
    [property: Id(3)] double? RetryAfterSeconds) : SessionEvent;
