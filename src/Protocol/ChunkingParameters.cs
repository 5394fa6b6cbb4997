using System.Text.Json.Serialization;

namespace Sawt.Protocol;

/// <summary><c>chunking</c>: how speech is cut into audio chunks. Null fields take the session's defaults.</summary>
/// <param name="Schedule">Tokens per chunk, first chunks first.</param>
/// <param name="ContextTokens">Tokens of left context each decode sees.</param>
/// <param name="HoldbackTokens">Tokens held back until more arrive.</param>
/// <param name="CrossFadeMilliseconds">Cross-fade between chunks, in milliseconds.</param>
/// <param name="SentencePauseMilliseconds">Silence between sentences, in milliseconds.</param>
public sealed record ChunkingParameters(
    [property: JsonPropertyName("schedule")] IReadOnlyList<int>? Schedule = null,
    [property: JsonPropertyName("context_tokens")] int? ContextTokens = null,
    [property: JsonPropertyName("holdback_tokens")] int? HoldbackTokens = null,
    [property: JsonPropertyName("cross_fade_ms")] double? CrossFadeMilliseconds = null,
    [property: JsonPropertyName("sentence_pause_ms")] double? SentencePauseMilliseconds = null);
