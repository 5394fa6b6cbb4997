using System.Text.Json.Serialization;

namespace Sawt.Protocol;

/// <summary>
/// <c>audio</c>: the metadata of one chunk; the next frame on the socket is its binary frame of
/// <paramref name="Bytes"/> bytes (possibly empty), with nothing in between.
/// </summary>
/// <param name="ContextId">The context the chunk belongs to.</param>
/// <param name="Sequence">0, 1, 2, ... per context.</param>
/// <param name="Encoding">Canonical encoding name, e.g. <c>pcm_f32le</c>.</param>
/// <param name="SampleRate">Samples per second.</param>
/// <param name="Bytes">Length of the binary frame that follows.</param>
/// <param name="StartMilliseconds">Where the chunk starts in the utterance's audio, in milliseconds.</param>
/// <param name="DurationMilliseconds">The chunk's length in milliseconds.</param>
/// <param name="TextStart">UTF-16 offset, in the context's text, of the span being spoken.</param>
/// <param name="TextLength">UTF-16 length of that span.</param>
/// <param name="IsFinal">The context's last chunk.</param>
public sealed record AudioMessage(
    [property: JsonPropertyName("context_id")] string ContextId,
    [property: JsonPropertyName("sequence")] int Sequence,
    [property: JsonPropertyName("encoding")] string Encoding,
    [property: JsonPropertyName("sample_rate")] int SampleRate,
    [property: JsonPropertyName("bytes")] int Bytes,
    [property: JsonPropertyName("start_ms")] double StartMilliseconds,
    [property: JsonPropertyName("duration_ms")] double DurationMilliseconds,
    [property: JsonPropertyName("text_start")] int TextStart,
    [property: JsonPropertyName("text_length")] int TextLength,
    [property: JsonPropertyName("is_final")] bool IsFinal) : ServerMessage;
