using System.Diagnostics;

namespace Sawt.Grains.Diagnostics;

/// <summary>
/// The grains' trace source (<see cref="SourceName"/>, registered by <c>AddSawt</c>). One utterance is one trace:
/// the gateway's context span, then <see cref="SessionSpan"/>, under it <see cref="T3Span"/> for each segment and
/// <see cref="DecodeSpan"/> for each chunk, with the engine's batch spans linked to the T3 spans.
/// </summary>
public sealed class GrainTracing : IDisposable
{
    public const string SourceName = "Sawt.Grains";

    /// <summary>A session grain running one utterance, from start to its final event.</summary>
    public const string SessionSpan = "tts.session";

    /// <summary>A T3 worker generating one segment's speech tokens.</summary>
    public const string T3Span = "t3.generate";

    /// <summary>A decoder worker decoding one chunk.</summary>
    public const string DecodeSpan = "decoder.decode";

    public const string SessionIdTag = "sawt.session_id";
    public const string WorkerTag = "sawt.worker";
    public const string TokensTag = "sawt.tokens";
    public const string DecoderVariantTag = "sawt.decoder.variant";
    public const string OutcomeTag = "sawt.outcome";

    public ActivitySource Source { get; } = new(SourceName);

    public void Dispose() => Source.Dispose();
}
