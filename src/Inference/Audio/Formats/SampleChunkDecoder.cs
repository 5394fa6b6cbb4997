using System.Buffers.Binary;

namespace Sawt.Inference.Audio.Formats;

/// <summary>Decodes float32 LE, PCM16 LE (/ 32768), G.711 mu-law and A-law chunks.</summary>
internal sealed class SampleChunkDecoder : IAudioChunkDecoder
{
    private readonly int _bytesPerSample;

    public SampleChunkDecoder(AudioFormat format)
    {
        format.EnsureSupported();
        _bytesPerSample = format.BytesPerSample
            ?? throw new ArgumentException("Opus is packetised; use OpusChunkDecoder.", nameof(format));
        Format = format;
    }

    public AudioFormat Format { get; }

    public int SampleRate => Format.SampleRate;

    public float[] Decode(ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length % _bytesPerSample != 0)
        {
            throw new ArgumentException(
                $"A {Format.Name} chunk must hold whole {_bytesPerSample}-byte samples; got {chunk.Length} bytes.",
                nameof(chunk));
        }

        var samples = new float[chunk.Length / _bytesPerSample];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = Format.Encoding switch
            {
                AudioEncoding.Float32 => BinaryPrimitives.ReadSingleLittleEndian(chunk[(i * 4)..]),
                AudioEncoding.Pcm16 => SampleConversion.FromPcm16(BinaryPrimitives.ReadInt16LittleEndian(chunk[(i * 2)..])),
                AudioEncoding.MuLaw => SampleConversion.FromPcm16(G711.MuLawToLinear(chunk[i])),
                _ => SampleConversion.FromPcm16(G711.ALawToLinear(chunk[i])),
            };
        }

        return samples;
    }

    public void Dispose()
    {
        // Nothing unmanaged to release.
    }
}
