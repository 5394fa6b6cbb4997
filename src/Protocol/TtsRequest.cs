using System.Text.Json.Serialization;

namespace Sawt.Protocol;

/// <summary>
/// The body of <c>POST /v1/tts</c> and <c>POST /v1/tts/stream</c>: the <c>synthesize</c> message's fields without
/// a context. Null fields take the server's defaults.
/// </summary>
/// <param name="Text">The text to speak.</param>
/// <param name="Language">Language code (default <c>ar</c>).</param>
/// <param name="Voice">Voice id (default <c>default</c>).</param>
/// <param name="OutputFormat">Encoding and sample rate.</param>
/// <param name="Sampling">Sampling parameters.</param>
/// <param name="Chunking">Chunking parameters.</param>
public sealed record TtsRequest(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("language")] string? Language = null,
    [property: JsonPropertyName("voice")] string? Voice = null,
    [property: JsonPropertyName("output_format")] OutputFormat? OutputFormat = null,
    [property: JsonPropertyName("sampling")] SamplingParameters? Sampling = null,
    [property: JsonPropertyName("chunking")] ChunkingParameters? Chunking = null);
