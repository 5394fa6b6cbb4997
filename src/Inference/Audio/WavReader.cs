using System.Buffers.Binary;

namespace Sawt.Inference.Audio;

/// <summary>
/// Reads RIFF/WAVE files into mono float32 clips: integer PCM (1 to 32 bits in 1 to 4 byte containers), IEEE
/// float (32, 64 bit), plain or WAVE_FORMAT_EXTENSIBLE, any channel count (averaged to mono), any rate from 1 Hz
/// to <see cref="MaxSampleRate"/>. Unknown chunks are skipped, the block align field is not trusted (frames are
/// channels x container bytes), and a data chunk whose size is 0 or 0xFFFFFFFF (streamed writers), or larger
/// than what remains, runs to the end of the input.
/// Whatever the header claims, bad bytes fail only with <see cref="InferenceException"/>:
/// <see cref="InferenceErrorCode.UnsupportedAudioFormat"/> for a readable header in a format this reader does not
/// decode (encoding, bit depth, sample rate), <see cref="InferenceErrorCode.UnreadableAudio"/> for the rest.
/// I/O errors of the stream or file itself propagate unchanged. Policy for voice references (rate range,
/// channel and duration limits) lives in <see cref="ReferenceAudio"/>.
/// </summary>
public static class WavReader
{
    /// <summary>Sample rates above this are treated as a corrupt header rather than audio.</summary>
    public const int MaxSampleRate = 1_536_000;

    private const int RiffHeaderSize = 12;
    private const int ChunkHeaderSize = 8;
    private const int MinFmtSize = 16;
    private const int ExtensibleFmtSize = 40;

    // KSDATAFORMAT_SUBTYPE_* GUIDs share these trailing 14 bytes; the first 2 bytes carry the format tag.
    private static readonly byte[] SubFormatGuidTail =
    [
        0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71,
    ];

    /// <summary>Reads the whole stream (from its current position) as a WAV file.</summary>
    public static AudioClip Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream is MemoryStream memory && memory.TryGetBuffer(out var buffer))
        {
            var start = (int)memory.Position;
            memory.Position = memory.Length;
            return Read(buffer.AsMemory(start));
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Read(copy.GetBuffer().AsMemory(0, (int)copy.Length));
    }

    /// <summary>Reads a WAV file from disk.</summary>
    public static AudioClip Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Read(File.ReadAllBytes(path));
    }

    /// <summary>Reads a complete WAV file held in memory.</summary>
    public static AudioClip Read(ReadOnlyMemory<byte> data)
    {
        var bytes = data.Span;
        var (format, dataOffset, dataLength) = Locate(bytes);
        return Decode(format, bytes.Slice(dataOffset, dataLength));
    }

    /// <summary>
    /// Reads only the header: the format and how many whole frames the data chunk holds, with the same checks
    /// and errors as <see cref="Read(ReadOnlyMemory{byte})"/> but without decoding or allocating per sample,
    /// so a caller can refuse a clip by its length before paying for it.
    /// </summary>
    public static WavInfo ReadInfo(ReadOnlyMemory<byte> data)
    {
        var (format, _, dataLength) = Locate(data.Span);
        return new WavInfo(format.Channels, format.SampleRate, FrameCount(format, dataLength));
    }

    /// <summary>Walks the chunks: the format, and where the samples are (whole frames or not).</summary>
    private static (WavFormat Format, int DataOffset, int DataLength) Locate(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < RiffHeaderSize)
        {
            throw Unreadable($"The input is {bytes.Length} bytes long, too short for a RIFF/WAVE header (12 bytes).");
        }

        var riff = bytes[..4];
        if (riff.SequenceEqual("RIFX"u8))
        {
            throw Unreadable("Big-endian WAV (RIFX) is not supported.");
        }

        // RF64 keeps 64-bit sizes in a ds64 chunk and puts 0xFFFFFFFF in the data size, which reads to the end.
        if (!riff.SequenceEqual("RIFF"u8) && !riff.SequenceEqual("RF64"u8))
        {
            throw Unreadable("The input is not a WAV file: it does not start with 'RIFF'.");
        }

        if (!bytes.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            throw Unreadable("The input is a RIFF file but not WAVE audio (no 'WAVE' form type).");
        }

        WavFormat? format = null;
        var dataOffset = -1;
        var dataLength = 0;
        var offset = RiffHeaderSize;

        // The RIFF size field is ignored: streamed and truncated files often get it wrong.
        while (bytes.Length - offset >= ChunkHeaderSize)
        {
            var id = bytes.Slice(offset, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(offset + 4, 4));
            var bodyOffset = offset + ChunkHeaderSize;
            var available = bytes.Length - bodyOffset;

            if (id.SequenceEqual("fmt "u8))
            {
                if (size > (uint)available)
                {
                    throw Unreadable($"The 'fmt ' chunk is truncated: it declares {size} bytes but {available} remain.");
                }

                format = ParseFormat(bytes.Slice(bodyOffset, (int)size));
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (dataOffset >= 0)
                {
                    throw Unreadable("The file has more than one 'data' chunk.");
                }

                dataOffset = bodyOffset;
                if (size == 0 || size == uint.MaxValue || size > (uint)available)
                {
                    // Streamed writer (size never patched) or a truncated file: take what is there.
                    dataLength = available;
                    break;
                }

                dataLength = (int)size;
            }

            if (size > (uint)available)
            {
                break;
            }

            // Chunks are word-aligned: an odd-sized body is followed by one pad byte.
            offset = bodyOffset + (int)size + (int)(size & 1);
        }

        if (format is null)
        {
            throw Unreadable("The WAV file has no 'fmt ' chunk before its end.");
        }

        if (dataOffset < 0)
        {
            throw Unreadable("The WAV file has no 'data' chunk.");
        }

        return (format.Value, dataOffset, dataLength);
    }

    private static WavFormat ParseFormat(ReadOnlySpan<byte> fmt)
    {
        if (fmt.Length < MinFmtSize)
        {
            throw Unreadable($"The 'fmt ' chunk is {fmt.Length} bytes; at least {MinFmtSize} are required.");
        }

        var tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        var channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        var sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        var bitsPerSample = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);

        if (tag == WavFormatTags.Extensible)
        {
            if (fmt.Length < ExtensibleFmtSize)
            {
                throw Unreadable(
                    $"The 'fmt ' chunk declares WAVE_FORMAT_EXTENSIBLE but is {fmt.Length} bytes; {ExtensibleFmtSize} are required.");
            }

            var subFormat = fmt.Slice(24, 16);
            if (!subFormat[2..].SequenceEqual(SubFormatGuidTail))
            {
                throw Unsupported("The WAVE_FORMAT_EXTENSIBLE sub-format GUID is not a PCM or IEEE float GUID; only PCM and IEEE float are supported.");
            }

            tag = BinaryPrimitives.ReadUInt16LittleEndian(subFormat);
        }

        if (tag != WavFormatTags.Pcm && tag != WavFormatTags.IeeeFloat)
        {
            throw Unsupported(
                $"Unsupported WAV encoding: format tag 0x{tag:X4} ({WavFormatTags.Describe(tag)}); only PCM (0x0001) and IEEE float (0x0003) are supported.");
        }

        if (channels == 0)
        {
            throw Unreadable("The WAV header declares zero channels.");
        }

        if (sampleRate == 0 || sampleRate > MaxSampleRate)
        {
            throw Unsupported($"The WAV header declares a sample rate of {sampleRate} Hz; this reader takes 1 to {MaxSampleRate} Hz.");
        }

        // Samples sit in whole bytes; e.g. 20-bit audio is left-justified in a 3-byte container.
        var bytesPerSample = (bitsPerSample + 7) / 8;
        var valid = tag == WavFormatTags.Pcm
            ? bytesPerSample is >= 1 and <= 4
            : bitsPerSample is 32 or 64;
        if (!valid)
        {
            throw Unsupported(tag == WavFormatTags.Pcm
                ? $"Unsupported sample size for PCM: {bitsPerSample} bits per sample; 1 to 32 bits are supported."
                : $"Unsupported sample size for IEEE float: {bitsPerSample} bits per sample; 32 or 64 bits are supported.");
        }

        return new WavFormat(tag == WavFormatTags.IeeeFloat, channels, (int)sampleRate, bytesPerSample);
    }

    /// <summary>Whole frames in <paramref name="dataLength"/> bytes; a trailing partial frame is ignored.</summary>
    private static int FrameCount(WavFormat format, int dataLength)
    {
        // At most 65535 channels x 8 bytes, so the frame size cannot overflow.
        var frames = dataLength / (format.Channels * format.BytesPerSample);
        if (frames == 0)
        {
            throw Unreadable("The WAV file contains no audio samples.");
        }

        return frames;
    }

    private static AudioClip Decode(WavFormat format, ReadOnlySpan<byte> data)
    {
        var frames = FrameCount(format, data.Length);
        var samples = new float[frames];
        var channels = format.Channels;
        var scale = 1.0 / channels;
        var position = 0;
        for (var frame = 0; frame < frames; frame++)
        {
            var sum = 0.0;
            for (var channel = 0; channel < channels; channel++)
            {
                sum += DecodeSample(format, data.Slice(position, format.BytesPerSample));
                position += format.BytesPerSample;
            }

            samples[frame] = (float)(sum * scale);
        }

        return new AudioClip(samples, format.SampleRate);
    }

    private static double DecodeSample(WavFormat format, ReadOnlySpan<byte> sample)
    {
        if (format.IsFloat)
        {
            return format.BytesPerSample == 4
                ? BinaryPrimitives.ReadSingleLittleEndian(sample)
                : BinaryPrimitives.ReadDoubleLittleEndian(sample);
        }

        return format.BytesPerSample switch
        {
            // 8-bit WAV is unsigned with its midpoint at 128.
            1 => (sample[0] - 128) / 128.0,
            2 => BinaryPrimitives.ReadInt16LittleEndian(sample) / 32768.0,
            3 => (((sample[2] << 24) | (sample[1] << 16) | (sample[0] << 8)) >> 8) / 8388608.0,
            _ => BinaryPrimitives.ReadInt32LittleEndian(sample) / 2147483648.0,
        };
    }

    private static InferenceException Unreadable(string message) =>
        new(InferenceErrorCode.UnreadableAudio, message);

    private static InferenceException Unsupported(string message) =>
        new(InferenceErrorCode.UnsupportedAudioFormat, message);

    private readonly record struct WavFormat(bool IsFloat, int Channels, int SampleRate, int BytesPerSample);
}
