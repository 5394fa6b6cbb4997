using System.Buffers.Binary;
using Sawt.Inference.Audio;

namespace Sawt.Inference.Tests.Audio;

[Trait("Category", "Unit")]
public sealed class WavReaderTests
{
    [Fact]
    public void Read_Pcm8_CentresOn128()
    {
        var wav = WavBuilder.Simple(1, 1, 8000, 8, [128, 255, 0, 192]);

        var clip = WavReader.Read(wav);

        Assert.Equal(8000, clip.SampleRate);
        Assert.Equal([0f, 127f / 128f, -1f, 0.5f], clip.Samples);
    }

    [Fact]
    public void Read_Pcm16_ScalesBy32768()
    {
        var wav = WavBuilder.Simple(1, 1, 16000, 16, WavBuilder.Pcm16(0, 16384, -32768, 32767));

        var clip = WavReader.Read(wav);

        Assert.Equal([0f, 0.5f, -1f, 32767f / 32768f], clip.Samples);
    }

    [Fact]
    public void Read_Pcm24_SignExtends()
    {
        // 0x400000 = 0.5, 0xC00000 = -0.5, 0x800000 = -1, 0x7FFFFF = max.
        byte[] data = [0x00, 0x00, 0x40, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x80, 0xFF, 0xFF, 0x7F];
        var wav = WavBuilder.Simple(1, 1, 44100, 24, data);

        var clip = WavReader.Read(wav);

        Assert.Equal(44100, clip.SampleRate);
        Assert.Equal(0.5f, clip.Samples[0]);
        Assert.Equal(-0.5f, clip.Samples[1]);
        Assert.Equal(-1f, clip.Samples[2]);
        Assert.Equal(8388607f / 8388608f, clip.Samples[3], 1e-7f);
    }

    [Fact]
    public void Read_Pcm32_ScalesBy2Pow31()
    {
        var data = new byte[12];
        BinaryPrimitives.WriteInt32LittleEndian(data, int.MinValue);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(4), 1 << 29);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(8), -(1 << 30));
        var wav = WavBuilder.Simple(1, 1, 48000, 32, data);

        var clip = WavReader.Read(wav);

        Assert.Equal([-1f, 0.25f, -0.5f], clip.Samples);
    }

    [Fact]
    public void Read_Float32_KeepsValues()
    {
        var data = new byte[12];
        BinaryPrimitives.WriteSingleLittleEndian(data, 0.125f);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4), -0.75f);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(8), 1.5f);
        var wav = WavBuilder.Simple(3, 1, 24000, 32, data);

        var clip = WavReader.Read(wav);

        Assert.Equal([0.125f, -0.75f, 1.5f], clip.Samples);
    }

    [Fact]
    public void Read_Float64_NarrowsToFloat()
    {
        var data = new byte[16];
        BinaryPrimitives.WriteDoubleLittleEndian(data, 0.1);
        BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(8), -0.25);
        var wav = WavBuilder.Simple(3, 1, 22050, 64, data);

        var clip = WavReader.Read(wav);

        Assert.Equal([0.1f, -0.25f], clip.Samples);
    }

    [Fact]
    public void Read_ExtensiblePcm24Stereo_MixesDown()
    {
        // Frames (L, R): (0.5, 0.25), (-1, 0).
        byte[] data =
        [
            0x00, 0x00, 0x40, 0x00, 0x00, 0x20,
            0x00, 0x00, 0x80, 0x00, 0x00, 0x00,
        ];
        var wav = WavBuilder.Riff(
            WavBuilder.Chunk("fmt ", WavBuilder.ExtensibleFmt(2, 48000, 24, WavBuilder.PcmSubFormat)),
            WavBuilder.Chunk("data", data));

        var clip = WavReader.Read(wav);

        Assert.Equal(48000, clip.SampleRate);
        Assert.Equal([0.375f, -0.5f], clip.Samples);
    }

    [Fact]
    public void Read_ExtensibleFloat_Decodes()
    {
        var data = new byte[8];
        BinaryPrimitives.WriteSingleLittleEndian(data, 0.5f);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4), -0.5f);
        var wav = WavBuilder.Riff(
            WavBuilder.Chunk("fmt ", WavBuilder.ExtensibleFmt(1, 16000, 32, WavBuilder.FloatSubFormat)),
            WavBuilder.Chunk("data", data));

        var clip = WavReader.Read(wav);

        Assert.Equal([0.5f, -0.5f], clip.Samples);
    }

    [Fact]
    public void Read_SixChannels_AveragesAll()
    {
        var wav = WavBuilder.Simple(1, 6, 48000, 16, WavBuilder.Pcm16(6000, 0, 0, 0, 0, 0, -600, -600, -600, -600, -600, -600));

        var clip = WavReader.Read(wav);

        Assert.Equal(2, clip.Samples.Length);
        Assert.Equal(1000f / 32768f, clip.Samples[0], 1e-7f);
        Assert.Equal(-600f / 32768f, clip.Samples[1], 1e-7f);
    }

    [Fact]
    public void Read_ExtraChunksWithOddSizes_SkipsThemAndPadding()
    {
        var wav = WavBuilder.Riff(
            WavBuilder.Chunk("JUNK", new byte[7]),
            WavBuilder.Chunk("fmt ", WavBuilder.Fmt(1, 1, 16000, 16)),
            WavBuilder.Chunk("LIST", "INFOISFT\u0005\0\0\0Sawt\0"u8.ToArray()),
            WavBuilder.Chunk("data", WavBuilder.Pcm16(100, -100)),
            WavBuilder.Chunk("id3 ", new byte[3]));

        var clip = WavReader.Read(wav);

        Assert.Equal([100f / 32768f, -100f / 32768f], clip.Samples);
    }

    [Fact]
    public void Read_OddSizedPcm8DataFollowedByChunk_IgnoresPadByte()
    {
        var wav = WavBuilder.Riff(
            WavBuilder.Chunk("fmt ", WavBuilder.Fmt(1, 1, 8000, 8)),
            WavBuilder.Chunk("data", [128, 192, 64]),
            WavBuilder.Chunk("LIST", new byte[4]));

        var clip = WavReader.Read(wav);

        Assert.Equal([0f, 0.5f, -0.5f], clip.Samples);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(0xFFFFFFFFu)]
    public void Read_StreamedDataSize_ReadsToEnd(uint declaredSize)
    {
        var wav = WavBuilder.Riff(
            WavBuilder.Chunk("fmt ", WavBuilder.Fmt(1, 1, 16000, 16)),
            WavBuilder.Chunk("data", WavBuilder.Pcm16(1, 2, 3, 4, 5), declaredSize));

        var clip = WavReader.Read(wav);

        Assert.Equal(5, clip.Samples.Length);
        Assert.Equal(5f / 32768f, clip.Samples[4]);
    }

    [Fact]
    public void Read_DataSizeBeyondEnd_ReadsWholeFramesPresent()
    {
        var wav = WavBuilder.Riff(
            WavBuilder.Chunk("fmt ", WavBuilder.Fmt(1, 2, 16000, 16)),
            WavBuilder.Chunk("data", WavBuilder.Pcm16(2, 4, 6), declaredSize: 1000));

        var clip = WavReader.Read(wav);

        Assert.Equal([3f / 32768f], clip.Samples);
    }

    [Fact]
    public void Read_NonSeekableStream_ReadsFromCurrentPosition()
    {
        var wav = WavBuilder.Simple(1, 1, 16000, 16, WavBuilder.Pcm16(7, 8));
        using var stream = new NonSeekableStream(wav);

        var clip = WavReader.Read(stream);

        Assert.Equal([7f / 32768f, 8f / 32768f], clip.Samples);
    }

    [Fact]
    public void Read_MemoryStreamWithOffset_StartsAtPosition()
    {
        var wav = WavBuilder.Simple(1, 1, 16000, 16, WavBuilder.Pcm16(9));
        using var stream = new MemoryStream();
        stream.Write([1, 2, 3]);
        stream.Write(wav);
        stream.Position = 3;

        var clip = WavReader.Read(stream);

        Assert.Equal([9f / 32768f], clip.Samples);
        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public void Read_Path_ReadsFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sawt-{Guid.NewGuid():N}.wav");
        try
        {
            File.WriteAllBytes(path, WavBuilder.Simple(1, 1, 24000, 16, WavBuilder.Pcm16(-16384)));

            var clip = WavReader.Read(path);

            Assert.Equal([-0.5f], clip.Samples);
            Assert.Equal(24000, clip.SampleRate);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override long Length => throw new NotSupportedException();

        public override bool TryGetBuffer(out ArraySegment<byte> buffer)
        {
            buffer = default;
            return false;
        }
    }
}
