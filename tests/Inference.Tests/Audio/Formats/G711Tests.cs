using Sawt.Inference.Audio;
using Sawt.Inference.Audio.Formats;

namespace Sawt.Inference.Tests.Audio.Formats;

[Trait("Category", "Unit")]
public sealed class G711Tests
{
    [Theory]
    [InlineData(0, 0xFF)]
    [InlineData(32767, 0x80)]
    [InlineData(-32768, 0x00)]
    [InlineData(-1, 0x7E)]
    [InlineData(1000, 0xCE)]
    [InlineData(-1000, 0x4E)]
    public void LinearToMuLaw_KnownSamples_GiveReferenceCodes(short sample, int code)
    {
        Assert.Equal((byte)code, G711.LinearToMuLaw(sample));
    }

    [Theory]
    [InlineData(0, 0xD5)]
    [InlineData(32767, 0xAA)]
    [InlineData(-32768, 0x2A)]
    [InlineData(-1, 0x55)]
    [InlineData(1000, 0xFA)]
    [InlineData(-1000, 0x7A)]
    public void LinearToALaw_KnownSamples_GiveReferenceCodes(short sample, int code)
    {
        Assert.Equal((byte)code, G711.LinearToALaw(sample));
    }

    [Theory]
    [InlineData(0xFF, 0)]
    [InlineData(0x7F, 0)]
    [InlineData(0x80, 32124)]
    [InlineData(0x00, -32124)]
    [InlineData(0xCE, 988)]
    public void MuLawToLinear_KnownCodes_GiveReferenceSamples(int code, short sample)
    {
        Assert.Equal(sample, G711.MuLawToLinear((byte)code));
    }

    [Theory]
    [InlineData(0xD5, 8)]
    [InlineData(0x55, -8)]
    [InlineData(0xAA, 32256)]
    [InlineData(0x2A, -32256)]
    [InlineData(0xFA, 1008)]
    public void ALawToLinear_KnownCodes_GiveReferenceSamples(int code, short sample)
    {
        Assert.Equal(sample, G711.ALawToLinear((byte)code));
    }

    [Fact]
    public void MuLaw_EveryCode_SurvivesDecodeThenEncode()
    {
        for (var code = 0; code < 256; code++)
        {
            // 0x7F is mu-law's negative zero; it decodes to 0, which encodes as positive zero 0xFF.
            var expected = code == 0x7F ? 0xFF : code;
            Assert.Equal((byte)expected, G711.LinearToMuLaw(G711.MuLawToLinear((byte)code)));
        }
    }

    [Fact]
    public void ALaw_EveryCode_SurvivesDecodeThenEncode()
    {
        for (var code = 0; code < 256; code++)
        {
            Assert.Equal((byte)code, G711.LinearToALaw(G711.ALawToLinear((byte)code)));
        }
    }

    [Fact]
    public void Encode_AnyLinearSample_ErrorWithinSegmentStep()
    {
        // Both laws quantise with a step that doubles per segment; the encoders truncate, so the reconstruction
        // (mid-step) is within one step of the input, and the step never exceeds 1/16 of the magnitude + 2 x 8 + 16.
        for (int sample = short.MinValue; sample <= short.MaxValue; sample++)
        {
            var magnitude = Math.Abs(sample);
            var muError = Math.Abs(G711.MuLawToLinear(G711.LinearToMuLaw((short)sample)) - sample);
            var aError = Math.Abs(G711.ALawToLinear(G711.LinearToALaw((short)sample)) - sample);
            var bound = (Math.Min(magnitude, 32124) / 16.0) + 32;
            var clip = Math.Max(0, magnitude - 32256);
            Assert.True(muError <= bound + Math.Max(0, magnitude - 32124), $"mu-law {sample}: error {muError}");
            Assert.True(aError <= bound + clip, $"A-law {sample}: error {aError}");
        }
    }

    [Theory]
    [InlineData(AudioEncoding.MuLaw)]
    [InlineData(AudioEncoding.ALaw)]
    public void EncoderThenDecoder_Minus6DbfsSine_SnrAbove30Db(AudioEncoding encoding)
    {
        var format = AudioFormat.Create(encoding, null);
        var input = FormatSignals.Sine(440, 24000, 24000, 0.5);
        using var encoder = AudioEncoderFactory.Create(format);
        using var decoder = AudioDecoderFactory.Create(format);

        var bytes = FormatSignals.Chunked(input, FormatSignals.RandomChunks(input.Length, 4, 6000), c => encoder.Encode(c));
        bytes.AddRange(encoder.Flush());
        var decoded = decoder.Decode(bytes.ToArray());

        // Against the same resampling without companding: what remains is G.711's quantisation noise (~38 dB).
        var reference = AudioResampler.Resample(input, 24000, 8000);
        Assert.Equal(reference.Length, decoded.Length);
        var snr = FormatSignals.SnrDb(reference, decoded);
        Assert.True(snr > 30, $"SNR {snr:0.0} dB");
    }
}
