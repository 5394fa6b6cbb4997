namespace Sawt.Inference.Audio.Formats;

/// <summary>
/// Encodes one stream's 24 kHz mono float chunks into its <see cref="Format"/>, keeping state across chunks
/// (resampler history, a partial Opus frame) so that chunk seams are inaudible. One instance per stream; not
/// thread-safe. Dispose when the stream ends (an Opus encoder may hold native libopus state).
/// </summary>
public interface IAudioChunkEncoder : IDisposable
{
    /// <summary>The format this encoder produces.</summary>
    AudioFormat Format { get; }

    /// <summary>
    /// Encodes the next chunk of engine audio (24 kHz mono, nominal range [-1, 1]); returns the bytes ready so far,
    /// possibly none, since the encoder may hold back a resampler tail or a partial frame.
    /// </summary>
    byte[] Encode(ReadOnlySpan<float> samples24k);

    /// <summary>
    /// Ends the segment: emits everything held back (resampler tail, a partial Opus frame padded with silence). The
    /// encoder may then be used again; the next sample starts a new segment.
    /// </summary>
    byte[] Flush();
}
