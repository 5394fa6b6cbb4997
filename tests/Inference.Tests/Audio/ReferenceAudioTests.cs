using Sawt.Inference.Audio;

namespace Sawt.Inference.Tests.Audio;

[Trait("Category", "Unit")]
public sealed class ReferenceAudioTests
{
    [Fact]
    public void PrepareFor24k_48kClip_ResamplesTo24k()
    {
        var clip = new AudioClip(AudioResamplerTests.Sine(440, 48000, seconds: 2, amplitude: 0.5), 48000);

        var prepared = ReferenceAudio.PrepareFor24k(clip);

        Assert.Equal(ChatterboxConstants.SampleRate, prepared.SampleRate);
        Assert.Equal(48000, prepared.Samples.Length);
        Assert.Equal(TimeSpan.FromSeconds(2), prepared.Duration);
    }

    [Fact]
    public void PrepareFor24k_Already24k_ReturnsSameClip()
    {
        var clip = new AudioClip(new float[24000], 24000);

        Assert.Same(clip, ReferenceAudio.PrepareFor24k(clip));
    }

    [Theory]
    [InlineData(16000)]
    [InlineData(44100)]
    public void PrepareFor24k_ExactlyOneSecond_IsAccepted(int rate)
    {
        var prepared = ReferenceAudio.PrepareFor24k(new AudioClip(new float[rate], rate));

        Assert.Equal(24000, prepared.Samples.Length);
    }

    [Theory]
    [InlineData(15999, 16000)]
    [InlineData(12000, 24000)]
    [InlineData(0, 44100)]
    public void PrepareFor24k_ShorterThanOneSecond_ThrowsTooShort(int length, int rate)
    {
        var error = Assert.Throws<InferenceException>(() => ReferenceAudio.PrepareFor24k(new AudioClip(new float[length], rate)));

        Assert.Equal(InferenceErrorCode.ReferenceAudioTooShort, error.Code);
        Assert.Contains("at least 1 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PrepareFor24k_CustomMinimum_IsApplied()
    {
        var clip = new AudioClip(new float[48000], 24000);

        var error = Assert.Throws<InferenceException>(() => ReferenceAudio.PrepareFor24k(clip, TimeSpan.FromSeconds(3)));
        Assert.Equal(InferenceErrorCode.ReferenceAudioTooShort, error.Code);
        Assert.Same(clip, ReferenceAudio.PrepareFor24k(clip, TimeSpan.FromSeconds(0.5)));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void PrepareFor24k_NonFiniteSample_ThrowsUnreadable(float bad)
    {
        var samples = new float[32000];
        samples[16000] = bad;

        var error = Assert.Throws<InferenceException>(() => ReferenceAudio.PrepareFor24k(new AudioClip(samples, 16000)));

        Assert.Equal(InferenceErrorCode.UnreadableAudio, error.Code);
        Assert.Contains("1 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AudioClip_NonPositiveRate_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioClip([], 0));
    }

    [Fact]
    public void AudioClip_Duration_IsSamplesOverRate()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(1500), new AudioClip(new float[24000], 16000).Duration);
    }
}
