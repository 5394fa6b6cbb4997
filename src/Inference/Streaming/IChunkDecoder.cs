namespace Sawt.Inference.Streaming;

/// <summary>Who turns a chunk's speech tokens into audio: the engine's decoder in process, or a decoder worker grain.</summary>
public interface IChunkDecoder
{
    /// <summary>
    /// Audio of <paramref name="tokens"/> (never empty) for the voice bound to this decoder: 24 kHz mono, exactly
    /// <see cref="ChatterboxConstants.SamplesPerToken"/> samples per token.
    /// </summary>
    Task<float[]> DecodeAsync(long[] tokens, CancellationToken cancellationToken);
}
