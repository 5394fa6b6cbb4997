namespace Sawt.Inference.Audio.Formats;

/// <summary>Creates the stateful per-stream encoder for an <see cref="AudioFormat"/>.</summary>
public static class AudioEncoderFactory
{
    /// <summary>A new encoder for <paramref name="format"/>; Opus formats give an <see cref="OpusChunkEncoder"/>.</summary>
    /// <exception cref="InferenceException"><see cref="InferenceErrorCode.InvalidOptions"/> for an unsupported format.</exception>
    public static IAudioChunkEncoder Create(AudioFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        format.EnsureSupported();
        return format.Encoding == AudioEncoding.Opus ? new OpusChunkEncoder(format) : new SampleChunkEncoder(format);
    }
}
