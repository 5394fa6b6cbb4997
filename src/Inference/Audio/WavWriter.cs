using System.Buffers;
using System.Buffers.Binary;

namespace Sawt.Inference.Audio;

/// <summary>
/// Writes mono RIFF/WAVE files. PCM16 scales by 32768, rounds to nearest (ties to even) and clips to
/// [-32768, 32767], so PCM16 read by <see cref="WavReader"/> and written again is bit-exact; NaN becomes 0.
/// Float32 writes samples unchanged, with the 18-byte 'fmt ' chunk and the 'fact' chunk that non-PCM WAV requires.
/// </summary>
public static class WavWriter
{
    private const int PcmHeaderSize = 44;
    private const int FloatHeaderSize = 58;
    private const int BufferBytes = 16 * 1024;

    /// <summary>The exact size in bytes of the file <see cref="Write"/> produces.</summary>
    public static long GetFileSize(int sampleCount, WavSampleFormat format)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sampleCount);
        return HeaderSize(format) + ((long)sampleCount * BytesPerSample(format));
    }

    /// <summary>Writes a complete WAV file to <paramref name="stream"/> at its current position.</summary>
    public static void Write(Stream stream, ReadOnlySpan<float> samples, int sampleRate, WavSampleFormat format)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var headerSize = HeaderSize(format);
        Span<byte> header = stackalloc byte[FloatHeaderSize];
        WriteHeader(header, samples.Length, sampleRate, format);
        stream.Write(header[..headerSize]);

        var bytesPerSample = BytesPerSample(format);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            var perChunk = BufferBytes / bytesPerSample;
            for (var start = 0; start < samples.Length; start += perChunk)
            {
                var count = Math.Min(perChunk, samples.Length - start);
                var bytes = buffer.AsSpan(0, count * bytesPerSample);
                EncodeSamples(samples.Slice(start, count), bytes, format);
                stream.Write(bytes);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The header of a file holding <paramref name="sampleCount"/> samples, for writers that stream the samples: write
    /// it first (with 0), append the little-endian sample data, then rewrite it at offset 0 with the final count.
    /// </summary>
    public static byte[] CreateHeader(int sampleCount, int sampleRate, WavSampleFormat format)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sampleCount);
        var header = new byte[HeaderSize(format)];
        WriteHeader(header, sampleCount, sampleRate, format);
        return header;
    }

    /// <summary>Returns a complete WAV file as a new array.</summary>
    public static byte[] ToBytes(ReadOnlySpan<float> samples, int sampleRate, WavSampleFormat format)
    {
        var size = GetFileSize(samples.Length, format);
        if (size > Array.MaxLength)
        {
            throw new ArgumentException($"{samples.Length} samples do not fit in one array as a WAV file.", nameof(samples));
        }

        var result = new byte[size];
        var headerSize = HeaderSize(format);
        WriteHeader(result.AsSpan(0, headerSize), samples.Length, sampleRate, format);
        EncodeSamples(samples, result.AsSpan(headerSize), format);
        return result;
    }

    private static void WriteHeader(Span<byte> header, int sampleCount, int sampleRate, WavSampleFormat format)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        var bytesPerSample = BytesPerSample(format);
        var dataSize = (long)sampleCount * bytesPerSample;
        var riffSize = HeaderSize(format) - 8 + dataSize;
        if (riffSize > uint.MaxValue)
        {
            throw new ArgumentException($"{sampleCount} samples exceed the 4 GiB limit of a RIFF file.", nameof(sampleCount));
        }

        var isFloat = format == WavSampleFormat.Float32;
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)riffSize);
        "WAVE"u8.CopyTo(header[8..]);
        "fmt "u8.CopyTo(header[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], isFloat ? 18u : 16u);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], isFloat ? WavFormatTags.IeeeFloat : WavFormatTags.Pcm);
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)((long)sampleRate * bytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], (ushort)bytesPerSample);
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], (ushort)(bytesPerSample * 8));

        var position = 36;
        if (isFloat)
        {
            // cbSize = 0, then 'fact' with the frame count.
            BinaryPrimitives.WriteUInt16LittleEndian(header[36..], 0);
            "fact"u8.CopyTo(header[38..]);
            BinaryPrimitives.WriteUInt32LittleEndian(header[42..], 4);
            BinaryPrimitives.WriteUInt32LittleEndian(header[46..], (uint)sampleCount);
            position = 50;
        }

        "data"u8.CopyTo(header[position..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[(position + 4)..], (uint)dataSize);
    }

    private static void EncodeSamples(ReadOnlySpan<float> samples, Span<byte> destination, WavSampleFormat format)
    {
        if (format == WavSampleFormat.Float32)
        {
            for (var i = 0; i < samples.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(destination[(i * 4)..], samples[i]);
            }

            return;
        }

        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(destination[(i * 2)..], ToPcm16(samples[i]));
        }
    }

    private static short ToPcm16(float sample)
    {
        if (float.IsNaN(sample))
        {
            return 0;
        }

        var scaled = MathF.Round(sample * 32768f);
        return scaled >= short.MaxValue ? short.MaxValue
            : scaled <= short.MinValue ? short.MinValue
            : (short)scaled;
    }

    private static int HeaderSize(WavSampleFormat format) => format switch
    {
        WavSampleFormat.Pcm16 => PcmHeaderSize,
        WavSampleFormat.Float32 => FloatHeaderSize,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown WAV sample format."),
    };

    private static int BytesPerSample(WavSampleFormat format) => format switch
    {
        WavSampleFormat.Pcm16 => 2,
        WavSampleFormat.Float32 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown WAV sample format."),
    };
}
