using Sawt.Inference.Sampling;
using Sawt.Inference.Voices;

namespace Sawt.Inference.Streaming;

/// <summary>A text of any length to stream: it is cut into sentences and spoken in order as one stream.</summary>
public sealed record StreamingRequest(
    string Text,
    string Language,
    VoiceConditionals? Voice = null,
    SamplingOptions? Sampling = null,
    StreamingOptions? Streaming = null);
