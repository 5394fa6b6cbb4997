using Sawt.Inference.Audio.Formats;

namespace Sawt.Inference.Tests.Audio.Formats;

[Trait("Category", "Unit")]
public sealed class AudioFormatTests
{
    [Theory]
    [InlineData("pcm_f32le", AudioEncoding.Float32, 24000)]
    [InlineData("float32", AudioEncoding.Float32, 24000)]
    [InlineData("pcm_s16le", AudioEncoding.Pcm16, 24000)]
    [InlineData("pcm16", AudioEncoding.Pcm16, 24000)]
    [InlineData("linear16", AudioEncoding.Pcm16, 24000)]
    [InlineData("mulaw", AudioEncoding.MuLaw, 8000)]
    [InlineData("ulaw", AudioEncoding.MuLaw, 8000)]
    [InlineData("pcm_mulaw", AudioEncoding.MuLaw, 8000)]
    [InlineData("alaw", AudioEncoding.ALaw, 8000)]
    [InlineData("pcm_alaw", AudioEncoding.ALaw, 8000)]
    [InlineData("opus", AudioEncoding.Opus, 24000)]
    [InlineData(" PCM_S16LE ", AudioEncoding.Pcm16, 24000)]
    [InlineData("Opus", AudioEncoding.Opus, 24000)]
    public void Parse_KnownNameWithoutRate_GivesEncodingAndDefaultRate(string name, AudioEncoding encoding, int rate)
    {
        Assert.Equal(new AudioFormat(encoding, rate), AudioFormat.Parse(name, null));
    }

    [Theory]
    [InlineData("pcm_s16le", 8000)]
    [InlineData("pcm_s16le", 22050)]
    [InlineData("float32", 44100)]
    [InlineData("float32", 48000)]
    [InlineData("mulaw", 8000)]
    [InlineData("alaw", 8000)]
    [InlineData("opus", 8000)]
    [InlineData("opus", 12000)]
    [InlineData("opus", 16000)]
    [InlineData("opus", 48000)]
    public void Parse_SupportedRate_KeepsRate(string name, int rate)
    {
        Assert.Equal(rate, AudioFormat.Parse(name, rate).SampleRate);
    }

    [Theory]
    [InlineData("mulaw", 16000, "8000")]
    [InlineData("alaw", 24000, "8000")]
    [InlineData("opus", 44100, "12000")]
    [InlineData("opus", 22050, "48000")]
    [InlineData("pcm_s16le", 11025, "22050")]
    [InlineData("float32", 12000, "44100")]
    [InlineData("pcm16", 0, "24000")]
    [InlineData("pcm16", -8000, "24000")]
    public void Parse_UnsupportedRate_ThrowsInvalidOptionsListingRates(string name, int rate, string listed)
    {
        var error = Assert.Throws<InferenceException>(() => AudioFormat.Parse(name, rate));

        Assert.Equal(InferenceErrorCode.InvalidOptions, error.Code);
        Assert.Contains(rate.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Contains(listed, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mp3")]
    [InlineData("")]
    [InlineData("pcm_s24le")]
    public void Parse_UnknownName_ThrowsInvalidOptionsNamingChoices(string name)
    {
        var error = Assert.Throws<InferenceException>(() => AudioFormat.Parse(name, null));

        Assert.Equal(InferenceErrorCode.InvalidOptions, error.Code);
        Assert.Contains("pcm_s16le", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AudioEncoding.Float32, 24000, "audio/pcm;rate=24000;encoding=f32le", 96000)]
    [InlineData(AudioEncoding.Pcm16, 16000, "audio/pcm;rate=16000;encoding=s16le", 32000)]
    [InlineData(AudioEncoding.MuLaw, 8000, "audio/basic", 8000)]
    [InlineData(AudioEncoding.ALaw, 8000, "audio/x-alaw-basic", 8000)]
    public void MimeTypeAndBytesPerSecond_FixedRateFormats_AreExact(AudioEncoding encoding, int rate, string mime, int bytesPerSecond)
    {
        var format = AudioFormat.Create(encoding, rate);

        Assert.Equal(mime, format.MimeType);
        Assert.Equal(bytesPerSecond, format.BytesPerSecond);
    }

    [Fact]
    public void MimeTypeAndBytesPerSecond_Opus_IsAudioOpusWithVariableRate()
    {
        var format = AudioFormat.Parse("opus", null);

        Assert.Equal("audio/opus", format.MimeType);
        Assert.Null(format.BytesPerSecond);
        Assert.Equal("opus@24000", format.ToString());
    }

    [Fact]
    public void FactoryCreate_UnvalidatedRecord_ThrowsInvalidOptions()
    {
        var error = Assert.Throws<InferenceException>(() => AudioEncoderFactory.Create(new AudioFormat(AudioEncoding.MuLaw, 16000)));

        Assert.Equal(InferenceErrorCode.InvalidOptions, error.Code);
    }

    [Fact]
    public void FactoryCreate_Opus_GivesPacketEncoder()
    {
        using var encoder = AudioEncoderFactory.Create(AudioFormat.Parse("opus", 48000));

        var opus = Assert.IsType<OpusChunkEncoder>(encoder);
        Assert.Equal(960, opus.FrameSamples);
    }
}
