using Sawt.Contracts.Sessions;

namespace Sawt.Contracts.Workers;

/// <summary>Generate speech tokens for one sentence or segment, in the voice revision the session pinned at start.</summary>
/// <param name="Text">The segment's text.</param>
/// <param name="Language">Its language code.</param>
/// <param name="VoiceId">The tenant-scoped voice key.</param>
/// <param name="Sampling">Sampling settings.</param>
/// <param name="VoiceRevision">The voice revision pinned at session start.</param>
/// <param name="TraceParent">
/// The session span's W3C <c>traceparent</c>, so the worker's span joins the utterance's trace (Orleans traces the
/// calls that enumerate a grain's results on its runtime source, which hosts leave off); null when not traced.
/// </param>
/// <param name="Continuation">
/// A later segment of a session the worker already admitted: it is not refused for load, so an utterance, once it has
/// started speaking, is never cut off between sentences by <c>busy</c>.
/// </param>
/// <param name="FirstDecodeMilliseconds">
/// What the session's decoder worker reported a first chunk costs there now (null: nothing measured); the T3 worker
/// keeps its first chunk of tokens within the first-audio target less this (at least the configured allowance).
/// </param>
/// <param name="ReportAdmission">
/// Ask for a first, empty batch with <see cref="TokenBatch.Admitted"/> as soon as the worker admitted the segment, so
/// the session learns of a refusal (<c>busy</c>) before it tells its client it started.
/// </param>
[GenerateSerializer, Immutable, Alias("sawt.t3-job")]
public sealed record T3Job(
    [property: Id(0)] string Text,
    [property: Id(1)] string Language,
    [property: Id(2)] string VoiceId,
    [property: Id(3)] SamplingSettings Sampling,
    [property: Id(4)] string VoiceRevision,
    [property: Id(5)] string? TraceParent = null,
    [property: Id(6)] bool Continuation = false,
    [property: Id(7)] double? FirstDecodeMilliseconds = null,
    [property: Id(8)] bool ReportAdmission = false);
