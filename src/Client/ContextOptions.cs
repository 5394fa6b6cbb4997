using Sawt.Protocol;

namespace Sawt.Client;

/// <summary>How a context speaks. Null properties take the server's defaults (docs/protocol.md).</summary>
public sealed record ContextOptions
{
    /// <summary>Voice id; the bundle's <c>default</c> when null.</summary>
    public string? Voice { get; init; }

    /// <summary>Language code; the gateway's default (<c>ar</c>) when null.</summary>
    public string? Language { get; init; }

    /// <summary>Encoding and sample rate; <c>pcm_f32le</c> at 24 kHz when null.</summary>
    public OutputFormat? OutputFormat { get; init; }

    /// <summary>Sampling parameters.</summary>
    public SamplingParameters? Sampling { get; init; }

    /// <summary>Chunking parameters.</summary>
    public ChunkingParameters? Chunking { get; init; }

    /// <summary>The context id (1 to 128 characters); a new GUID when null.</summary>
    public string? ContextId { get; init; }

    /// <summary>
    /// Text the context starts with, sent in its <c>synthesize</c> (more follows with <c>SendTextAsync</c>); null for
    /// none. When it holds a whole sentence, the cluster admits or refuses that sentence before the context starts, so
    /// a <c>busy</c> comes from <c>OpenContextAsync</c> instead of ending a started context.
    /// </summary>
    public string? Text { get; init; }
}
