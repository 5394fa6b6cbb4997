using System.Text.Json.Serialization;

namespace Sawt.Protocol;

/// <summary><c>output_format</c>: how the audio is encoded. Null fields take the server's defaults.</summary>
/// <param name="Encoding">e.g. <c>pcm_f32le</c> (default), <c>pcm_s16le</c>, <c>mulaw</c>, <c>opus</c>, <c>mp3</c>.</param>
/// <param name="SampleRate">Samples per second; the encoding's default when null.</param>
public sealed record OutputFormat(
    [property: JsonPropertyName("encoding")] string? Encoding = null,
    [property: JsonPropertyName("sample_rate")] int? SampleRate = null);
