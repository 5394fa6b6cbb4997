using Sawt.Inference.Audio;

namespace Sawt.Inference.Tests.Audio;

[Trait("Category", "Unit")]
public sealed class WavReaderErrorTests
{
    private static readonly InferenceErrorCode[] ReaderCodes = [InferenceErrorCode.UnreadableAudio, InferenceErrorCode.UnsupportedAudioFormat];

    public static TheoryData<string, byte[], string> BadFiles => new()
    {
        { "empty", [], "too short" },
        { "truncated header", "RIFF\0\0"u8.ToArray(), "too short" },
        { "not riff", "OggS\0\0\0\0WAVEfmt \0\0\0\0"u8.ToArray(), "RIFF" },
        { "big endian", "RIFX\0\0\0\0WAVE"u8.ToArray(), "RIFX" },
        { "not wave", "RIFF\u0004\0\0\0AVI "u8.ToArray(), "WAVE" },
        { "no chunks", WavBuilder.Riff(), "fmt" },
        { "no fmt", WavBuilder.Riff(WavBuilder.Chunk("data", WavBuilder.Pcm16(1, 2))), "fmt" },
        { "no data", WavBuilder.Riff(WavBuilder.Chunk("fmt ", WavBuilder.Fmt(1, 1, 16000, 16))), "data" },
        { "empty data", WavBuilder.Simple(1, 1, 16000, 16, []), "no audio samples" },
        { "half a frame", WavBuilder.Simple(1, 2, 16000, 16, [1, 2]), "no audio samples" },
        { "fmt too short", WavBuilder.Riff(WavBuilder.Chunk("fmt ", new byte[14]), WavBuilder.Chunk("data", [0, 0])), "at least 16" },
        { "fmt truncated", TruncatedFmt(), "truncated" },
        { "zero channels", WavBuilder.Simple(1, 0, 16000, 16, new byte[64]), "zero channels" },
        { "extensible too short", WavBuilder.Simple(0xFFFE, 1, 16000, 16, new byte[64]), "EXTENSIBLE" },
        { "two data chunks", TwoDataChunks(), "more than one" },
    };

    /// <summary>Readable headers in formats the reader does not decode; each message names the value and what is accepted.</summary>
    public static TheoryData<string, byte[], string> UnsupportedFiles => new()
    {
        { "mp3 in wav", WavBuilder.Simple(0x55, 1, 44100, 0, new byte[64]), "mp3" },
        { "ms adpcm", WavBuilder.Simple(2, 1, 22050, 4, new byte[64]), "ADPCM" },
        { "ima adpcm", WavBuilder.Simple(0x11, 1, 22050, 4, new byte[64]), "ADPCM" },
        { "mu-law", WavBuilder.Simple(7, 1, 8000, 8, new byte[64]), "0x0007" },
        { "zero rate", WavBuilder.Simple(1, 1, 0, 16, new byte[64]), "0 Hz; this reader takes 1 to 1536000 Hz" },
        { "absurd rate", WavBuilder.Simple(1, 1, 0xFFFFFFFF, 16, new byte[64]), "4294967295 Hz" },
        { "pcm 40 bit", WavBuilder.Simple(1, 1, 16000, 40, new byte[64]), "40 bits per sample; 1 to 32 bits" },
        { "pcm 0 bit", WavBuilder.Simple(1, 1, 16000, 0, new byte[64]), "0 bits" },
        { "float 16 bit", WavBuilder.Simple(3, 1, 16000, 16, new byte[64]), "IEEE float: 16 bits per sample; 32 or 64" },
        { "extensible unknown guid", ExtensibleWith(Guid.NewGuid()), "GUID" },
        { "extensible adpcm", ExtensibleWith(new Guid("00000002-0000-0010-8000-00aa00389b71")), "ADPCM" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Read_BadFile_ThrowsUnreadableAudio(string name, byte[] file, string messagePart)
    {
        var error = Assert.Throws<InferenceException>(() => WavReader.Read(file));

        Assert.Equal(InferenceErrorCode.UnreadableAudio, error.Code);
        Assert.Contains(messagePart, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(error.IsRetryable);
        Assert.False(string.IsNullOrWhiteSpace(name));
    }

    [Theory]
    [MemberData(nameof(UnsupportedFiles))]
    public void Read_UnsupportedFormat_ThrowsUnsupportedAudioFormat(string name, byte[] file, string messagePart)
    {
        var error = Assert.Throws<InferenceException>(() => WavReader.Read(file));

        Assert.Equal(InferenceErrorCode.UnsupportedAudioFormat, error.Code);
        Assert.Equal("unsupported_audio_format", error.WireCode);
        Assert.Contains(messagePart, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(error.IsRetryable);
        Assert.False(string.IsNullOrWhiteSpace(name));
    }

    [Fact]
    public void Read_RandomBytes_NeverThrowsAnythingElse()
    {
        var random = new Random(1234);
        for (var i = 0; i < 2000; i++)
        {
            var garbage = new byte[random.Next(0, 200)];
            random.NextBytes(garbage);
            if (i % 2 == 0 && garbage.Length >= 12)
            {
                // Half the inputs get a valid RIFF/WAVE preamble so the chunk parser sees the garbage.
                "RIFF"u8.CopyTo(garbage);
                "WAVE"u8.CopyTo(garbage.AsSpan(8));
            }

            AssertReadsOrRejects(garbage);
        }
    }

    [Fact]
    public void Read_MutatedValidFiles_NeverThrowsAnythingElse()
    {
        var random = new Random(98765);
        byte[][] seeds =
        [
            WavBuilder.Simple(1, 2, 16000, 16, WavBuilder.Pcm16(1, 2, 3, 4, 5, 6)),
            WavBuilder.Riff(
                WavBuilder.Chunk("LIST", new byte[5]),
                WavBuilder.Chunk("fmt ", WavBuilder.ExtensibleFmt(2, 48000, 24, WavBuilder.PcmSubFormat)),
                WavBuilder.Chunk("data", new byte[24])),
            WavWriter.ToBytes([0.1f, -0.2f, 0.3f], 24000, WavSampleFormat.Float32),
        ];

        for (var i = 0; i < 3000; i++)
        {
            var file = (byte[])seeds[i % seeds.Length].Clone();
            var flips = random.Next(1, 6);
            for (var f = 0; f < flips; f++)
            {
                file[random.Next(file.Length)] = (byte)random.Next(256);
            }

            var length = random.Next(4) == 0 ? random.Next(file.Length + 1) : file.Length;
            AssertReadsOrRejects(file.AsMemory(0, length));
        }
    }

    private static void AssertReadsOrRejects(ReadOnlyMemory<byte> data)
    {
        try
        {
            var clip = WavReader.Read(data);
            Assert.NotEmpty(clip.Samples);
            Assert.True(clip.SampleRate > 0);
        }
        catch (InferenceException error)
        {
            Assert.Contains(error.Code, ReaderCodes);
        }
    }

    private static byte[] TruncatedFmt()
    {
        var file = WavBuilder.Riff(WavBuilder.Chunk("fmt ", WavBuilder.Fmt(1, 1, 16000, 16)));
        return file[..^4];
    }

    private static byte[] ExtensibleWith(Guid subFormat) => WavBuilder.Riff(
        WavBuilder.Chunk("fmt ", WavBuilder.ExtensibleFmt(1, 16000, 16, subFormat)),
        WavBuilder.Chunk("data", new byte[16]));

    private static byte[] TwoDataChunks()
    {
        var data = WavBuilder.Chunk("data", WavBuilder.Pcm16(1));
        return WavBuilder.Riff(WavBuilder.Chunk("fmt ", WavBuilder.Fmt(1, 1, 16000, 16)), data, data);
    }
}
