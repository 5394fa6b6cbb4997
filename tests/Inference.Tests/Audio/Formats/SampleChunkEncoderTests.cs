using Sawt.Inference.Audio;
using Sawt.Inference.Audio.Formats;

namespace Sawt.Inference.Tests.Audio.Formats;

[Trait("Category", "Unit")]
public sealed class SampleChunkEncoderTests
{
    [Fact]
    public void Float32_At24k_WritesIeeeLittleEndianUntouched()
    {
        using var encoder = AudioEncoderFactory.Create(AudioFormat.Default);

        var bytes = encoder.Encode([0.5f, -1f, 0.25f, 1.5f]);

        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x3F, // 0.5 = 0x3F000000
            0x00, 0x00, 0x80, 0xBF, // -1 = 0xBF800000
            0x00, 0x00, 0x80, 0x3E, // 0.25 = 0x3E800000
            0x00, 0x00, 0xC0, 0x3F, // 1.5 = 0x3FC00000: float is not clipped
        ];
        Assert.Equal(expected, bytes);
        Assert.Empty(encoder.Flush());
    }

    [Fact]
    public void Pcm16_At24k_ScalesRoundsAndClipsLittleEndian()
    {
        using var encoder = AudioEncoderFactory.Create(AudioFormat.Create(AudioEncoding.Pcm16, 24000));

        var bytes = encoder.Encode([0f, 0.5f, -0.5f, 1f, -1f, 2f, -2f, 1.4f / 32768, 1.6f / 32768, float.NaN]);

        byte[] expected =
        [
            0x00, 0x00, // 0
            0x00, 0x40, // 16384
            0x00, 0xC0, // -16384
            0xFF, 0x7F, // 32768 clips to 32767
            0x00, 0x80, // -32768
            0xFF, 0x7F, // clipped
            0x00, 0x80, // clipped
            0x01, 0x00, // 1.4 rounds to 1
            0x02, 0x00, // 1.6 rounds to 2
            0x00, 0x00, // NaN is silence
        ];
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData(AudioEncoding.Float32, 48000, 4)]
    [InlineData(AudioEncoding.Float32, 22050, 4)]
    [InlineData(AudioEncoding.Pcm16, 16000, 2)]
    [InlineData(AudioEncoding.Pcm16, 44100, 2)]
    [InlineData(AudioEncoding.MuLaw, 8000, 1)]
    [InlineData(AudioEncoding.ALaw, 8000, 1)]
    public void Encode_ResampledRandomChunks_TotalBytesMatchWholeClipLength(AudioEncoding encoding, int rate, int bytesPerSample)
    {
        var input = FormatSignals.Noise(12_347, 9, 0.5);
        using var encoder = AudioEncoderFactory.Create(AudioFormat.Create(encoding, rate));

        var bytes = FormatSignals.Chunked(input, FormatSignals.RandomChunks(input.Length, 9, 3000), c => encoder.Encode(c));
        bytes.AddRange(encoder.Flush());

        Assert.Equal(AudioResampler.GetOutputLength(input.Length, 24000, rate) * bytesPerSample, bytes.Count);
    }

    [Theory]
    [InlineData(AudioEncoding.Float32, 16000, 1e-7)]
    [InlineData(AudioEncoding.Pcm16, 16000, 1.0 / 32768)]
    [InlineData(AudioEncoding.Pcm16, 24000, 1.0 / 32768)]
    public void EncodeThenDecode_Pcm_MatchesResampledInput(AudioEncoding encoding, int rate, double tolerance)
    {
        var input = FormatSignals.Noise(5000, 10, 0.5);
        var format = AudioFormat.Create(encoding, rate);
        using var encoder = AudioEncoderFactory.Create(format);
        using var decoder = AudioDecoderFactory.Create(format);

        var decoded = decoder.Decode([.. encoder.Encode(input), .. encoder.Flush()]);

        var reference = AudioResampler.Resample(input, 24000, rate);
        Assert.Equal(reference.Length, decoded.Length);
        for (var i = 0; i < reference.Length; i++)
        {
            Assert.True(Math.Abs(reference[i] - decoded[i]) <= tolerance, $"sample {i}: {reference[i]} vs {decoded[i]}");
        }
    }
}
