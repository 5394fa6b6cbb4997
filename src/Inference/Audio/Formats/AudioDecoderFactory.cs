namespace Sawt.Inference.Audio.Formats;

/// <summary>Creates the client-side decoder matching <see cref="AudioEncoderFactory"/>'s encoder for a format.</summary>
internal static class AudioDecoderFactory
{
    public static IAudioChunkDecoder Create(AudioFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        format.EnsureSupported();
        return format.Encoding == AudioEncoding.Opus ? new OpusChunkDecoder(format) : new SampleChunkDecoder(format);
    }
}
