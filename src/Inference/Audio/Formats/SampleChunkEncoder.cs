using System.Buffers.Binary;

namespace Sawt.Inference.Audio.Formats;

/// <summary>
/// Fixed-width sample encodings: float32 LE, PCM16 LE (see <see cref="SampleConversion.ToPcm16"/>), G.711 mu-law and
/// A-law (through PCM16). Resamples from 24 kHz with a <see cref="StreamingResampler"/> when the format's rate differs.
/// </summary>
internal sealed class SampleChunkEncoder : IAudioChunkEncoder
{
    private readonly StreamingResampler? _resampler;
    private readonly int _bytesPerSample;

    public SampleChunkEncoder(AudioFormat format)
    {
        format.EnsureSupported();
        if (format.Encoding == AudioEncoding.Opus)
        {
            throw new ArgumentException("Opus is packetised; use OpusChunkEncoder.", nameof(format));
        }

        Format = format;
        _bytesPerSample = format.BytesPerSample!.Value;
        _resampler = format.SampleRate == AudioFormat.EngineSampleRate
            ? null
            : new StreamingResampler(AudioFormat.EngineSampleRate, format.SampleRate);
    }

    public AudioFormat Format { get; }

    public byte[] Encode(ReadOnlySpan<float> samples24k) =>
        _resampler is null ? Write(samples24k) : Write(_resampler.Process(samples24k));

    public byte[] Flush() => _resampler is null ? [] : Write(_resampler.Flush());

    public void Dispose()
    {
        // Nothing unmanaged to release.
    }

    private byte[] Write(ReadOnlySpan<float> samples)
    {
        var bytes = new byte[samples.Length * _bytesPerSample];
        switch (Format.Encoding)
        {
            case AudioEncoding.Float32:
                for (var i = 0; i < samples.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), samples[i]);
                }

                break;
            case AudioEncoding.Pcm16:
                for (var i = 0; i < samples.Length; i++)
                {
                    BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), SampleConversion.ToPcm16(samples[i]));
                }

                break;
            case AudioEncoding.MuLaw:
                for (var i = 0; i < samples.Length; i++)
                {
                    bytes[i] = G711.LinearToMuLaw(SampleConversion.ToPcm16(samples[i]));
                }

                break;
            default:
                for (var i = 0; i < samples.Length; i++)
                {
                    bytes[i] = G711.LinearToALaw(SampleConversion.ToPcm16(samples[i]));
                }

                break;
        }

        return bytes;
    }
}
