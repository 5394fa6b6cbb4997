using System.Text.Json.Serialization;

namespace Sawt.Protocol;

/// <summary><c>done</c>: the context ended normally; its figures.</summary>
/// <param name="ContextId">The context that ended.</param>
/// <param name="TimeToFirstAudioMilliseconds">From the start of the session to its first audio, in milliseconds.</param>
/// <param name="RealTimeFactor">Generation time over audio time.</param>
/// <param name="Tokens">Speech tokens generated.</param>
/// <param name="AudioMilliseconds">Audio produced, in milliseconds.</param>
/// <param name="Chunks">Audio chunks sent.</param>
/// <param name="StopReason">
/// Why generation ended: <c>end_of_speech</c>, or what cut a segment short (<c>long_tail</c>, <c>alignment_repetition</c>,
/// <c>token_repetition</c>, <c>step_cap</c>); absent when the server does not know.
/// </param>
/// <param name="AlignmentWarnings">What the alignment guard saw without stopping: <c>false_start</c>, <c>discontinuity</c>; absent for none.</param>
public sealed record DoneMessage(
    [property: JsonPropertyName("context_id")] string ContextId,
    [property: JsonPropertyName("time_to_first_audio_ms")] double TimeToFirstAudioMilliseconds,
    [property: JsonPropertyName("real_time_factor")] double RealTimeFactor,
    [property: JsonPropertyName("tokens")] int Tokens,
    [property: JsonPropertyName("audio_ms")] double AudioMilliseconds,
    [property: JsonPropertyName("chunks")] int Chunks,
    [property: JsonPropertyName("stop_reason"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? StopReason = null,
    [property: JsonPropertyName("alignment_warnings"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? AlignmentWarnings = null) : ServerMessage;
