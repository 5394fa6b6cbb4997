using System.Text.Json.Serialization;

namespace Sawt.Protocol;

/// <summary><c>synthesize</c>: start a context. Absent (null) fields take the server's defaults.</summary>
/// <param name="ContextId">The new context's id.</param>
/// <param name="Text">The text; required unless <paramref name="Incremental"/>.</param>
/// <param name="Language">Language code (default <c>ar</c>).</param>
/// <param name="Voice">Voice id (default <c>default</c>).</param>
/// <param name="OutputFormat">Encoding and sample rate.</param>
/// <param name="Sampling">Sampling parameters.</param>
/// <param name="Chunking">Chunking parameters.</param>
/// <param name="Incremental">Text arrives in later <c>text</c> messages, ended by <c>end</c>.</param>
public sealed record SynthesizeMessage(
    string ContextId,
    [property: JsonPropertyName("text")] string? Text = null,
    [property: JsonPropertyName("language")] string? Language = null,
    [property: JsonPropertyName("voice")] string? Voice = null,
    [property: JsonPropertyName("output_format")] OutputFormat? OutputFormat = null,
    [property: JsonPropertyName("sampling")] SamplingParameters? Sampling = null,
    [property: JsonPropertyName("chunking")] ChunkingParameters? Chunking = null,
    [property: JsonPropertyName("incremental")] bool? Incremental = null) : ClientMessage(ContextId);
