using System.Buffers.Binary;
using Sawt.Inference.Audio;

namespace Sawt.Inference.Tests.Audio;

[Trait("Category", "Unit")]
public sealed class WavWriterTests
{
    [Fact]
    public void RoundTrip_Float32_IsExact()
    {
        var samples = RandomSamples(1000, seed: 1);
        samples[0] = 1.75f;
        samples[1] = -3f;

        var clip = WavReader.Read(WavWriter.ToBytes(samples, 24000, WavSampleFormat.Float32));

        Assert.Equal(24000, clip.SampleRate);
        Assert.Equal(samples, clip.Samples);
    }

    [Fact]
    public void RoundTrip_Pcm16_WithinHalfStep()
    {
        var samples = RandomSamples(1000, seed: 2);

        var clip = WavReader.Read(WavWriter.ToBytes(samples, 16000, WavSampleFormat.Pcm16));

        Assert.Equal(16000, clip.SampleRate);
        Assert.Equal(samples.Length, clip.Samples.Length);
        for (var i = 0; i < samples.Length; i++)
        {
            Assert.True(Math.Abs(samples[i] - clip.Samples[i]) <= 0.5f / 32768f, $"sample {i}");
        }
    }

    [Fact]
    public void RoundTrip_Pcm16Values_AreBitExact()
    {
        var samples = Enumerable.Range(short.MinValue, 65536).Select(v => v / 32768f).ToArray();

        var clip = WavReader.Read(WavWriter.ToBytes(samples, 8000, WavSampleFormat.Pcm16));

        Assert.Equal(samples, clip.Samples);
    }

    [Fact]
    public void Write_Pcm16_ClipsRoundsAndZeroesNaN()
    {
        float[] samples = [2f, -2f, 1f, -1f, 0.4f / 32768f, 0.6f / 32768f, -0.6f / 32768f, float.NaN, float.PositiveInfinity, float.NegativeInfinity];

        var bytes = WavWriter.ToBytes(samples, 24000, WavSampleFormat.Pcm16);

        var data = bytes.AsSpan(44);
        short[] expected = [32767, -32768, 32767, -32768, 0, 1, -1, 0, 32767, -32768];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], BinaryPrimitives.ReadInt16LittleEndian(data[(i * 2)..]));
        }
    }

    [Fact]
    public void ToBytes_Pcm16_WritesCanonical44ByteHeader()
    {
        var bytes = WavWriter.ToBytes([0f, 0f, 0f], 24000, WavSampleFormat.Pcm16);

        Assert.Equal(50, bytes.Length);
        Assert.Equal(bytes.Length, WavWriter.GetFileSize(3, WavSampleFormat.Pcm16));
        Assert.Equal("RIFF"u8.ToArray(), bytes[..4]);
        Assert.Equal(42u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal("WAVEfmt "u8.ToArray(), bytes[8..16]);
        Assert.Equal(16u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(20)));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(22)));
        Assert.Equal(24000u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(24)));
        Assert.Equal(48000u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(28)));
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(32)));
        Assert.Equal(16, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(34)));
        Assert.Equal("data"u8.ToArray(), bytes[36..40]);
        Assert.Equal(6u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(40)));
    }

    [Fact]
    public void ToBytes_Float32_WritesFmt18AndFactChunk()
    {
        var bytes = WavWriter.ToBytes([0.5f, -0.5f], 48000, WavSampleFormat.Float32);

        Assert.Equal(66, bytes.Length);
        Assert.Equal(bytes.Length, WavWriter.GetFileSize(2, WavSampleFormat.Float32));
        Assert.Equal(58u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(18u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(3, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(20)));
        Assert.Equal(32, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(34)));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(36)));
        Assert.Equal("fact"u8.ToArray(), bytes[38..42]);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(46)));
        Assert.Equal("data"u8.ToArray(), bytes[50..54]);
        Assert.Equal(8u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(54)));
        Assert.Equal(0.5f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(58)));
    }

    [Theory]
    [InlineData(WavSampleFormat.Pcm16)]
    [InlineData(WavSampleFormat.Float32)]
    public void Write_LongInput_MatchesToBytes(WavSampleFormat format)
    {
        // Longer than the writer's internal buffer, so it crosses several chunks.
        var samples = RandomSamples(50_001, seed: 3);
        using var stream = new MemoryStream();
        stream.WriteByte(0xAA);

        WavWriter.Write(stream, samples, 22050, format);

        Assert.Equal(WavWriter.ToBytes(samples, 22050, format), stream.ToArray()[1..]);
    }

    [Theory]
    [InlineData(WavSampleFormat.Pcm16)]
    [InlineData(WavSampleFormat.Float32)]
    public void CreateHeader_IsTheHeaderOfToBytes(WavSampleFormat format)
    {
        var samples = RandomSamples(1_234, seed: 5);
        var file = WavWriter.ToBytes(samples, 16000, format);

        var header = WavWriter.CreateHeader(samples.Length, 16000, format);

        Assert.Equal(file[..header.Length], header);
        Assert.Equal(file.Length, header.Length + (samples.Length * (format == WavSampleFormat.Pcm16 ? 2 : 4)));
    }

    [Fact]
    public void Write_EmptyInput_ReaderRejectsAsNoSamples()
    {
        var bytes = WavWriter.ToBytes([], 24000, WavSampleFormat.Pcm16);

        Assert.Equal(44, bytes.Length);
        var error = Assert.Throws<InferenceException>(() => WavReader.Read(bytes));
        Assert.Equal(InferenceErrorCode.UnreadableAudio, error.Code);
    }

    [Fact]
    public void ToBytes_NonPositiveRate_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WavWriter.ToBytes([0f], 0, WavSampleFormat.Pcm16));
    }

    private static float[] RandomSamples(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
    }
}
