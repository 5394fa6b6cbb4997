using System.Buffers.Binary;
using Sawt.Inference.Audio;

namespace Sawt.Inference.Tests.Audio;

[Trait("Category", "Unit")]
public sealed class ReferenceAudioTests
{
    // A refusal allocates its exception and message; decoding or resampling the clips below would allocate megabytes.
    private const long RefusalAllocationBound = 64 * 1024;

    [Fact]
    public void PrepareFor24k_48kClip_ResamplesTo24k()
    {
        var clip = Tone(48000, seconds: 2);

        var prepared = ReferenceAudio.PrepareFor24k(clip);

        Assert.Equal(ChatterboxConstants.SampleRate, prepared.SampleRate);
        Assert.Equal(48000, prepared.Samples.Length);
        Assert.Equal(TimeSpan.FromSeconds(2), prepared.Duration);
    }

    [Fact]
    public void PrepareFor24k_Already24k_ReturnsSameClip()
    {
        var clip = Tone(24000, seconds: 1);

        Assert.Same(clip, ReferenceAudio.PrepareFor24k(clip));
    }

    [Theory]
    [InlineData(16000)]
    [InlineData(44100)]
    public void PrepareFor24k_ExactlyOneSecond_IsAccepted(int rate)
    {
        var prepared = ReferenceAudio.PrepareFor24k(Tone(rate, seconds: 1));

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
        var clip = Tone(24000, seconds: 2);

        var error = Assert.Throws<InferenceException>(() => ReferenceAudio.PrepareFor24k(clip, TimeSpan.FromSeconds(3)));
        Assert.Equal(InferenceErrorCode.ReferenceAudioTooShort, error.Code);
        Assert.Same(clip, ReferenceAudio.PrepareFor24k(clip, TimeSpan.FromSeconds(0.5)));
    }

    [Fact]
    public void PrepareFor24k_ZeroMinimumAndNoSamples_ThrowsUnreadable()
    {
        var error = Assert.Throws<InferenceException>(() => ReferenceAudio.PrepareFor24k(new AudioClip([], 24000), TimeSpan.Zero));

        Assert.Equal(InferenceErrorCode.UnreadableAudio, error.Code);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void PrepareFor24k_NonFiniteSample_ThrowsUnreadable(float bad)
    {
        var samples = Tone(16000, seconds: 2).Samples;
        samples[16000] = bad;

        var error = Assert.Throws<InferenceException>(() => ReferenceAudio.PrepareFor24k(new AudioClip(samples, 16000)));

        Assert.Equal(InferenceErrorCode.UnreadableAudio, error.Code);
        Assert.Contains("1 s", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 150_000)]
    [InlineData(1, 2)]
    [InlineData(100, 20_000)]
    [InlineData(7999, 16_000)]
    [InlineData(192_001, 192_001)]
    [InlineData(1_536_000, 1_536_000)]
    public void PrepareFor24k_RateOutsideRange_ThrowsUnsupportedAudioFormat(int rate, int length)
    {
        // 1 Hz with 150,000 samples used to reach the resampler and fail there with ArgumentOutOfRangeException.
        var clip = new AudioClip(Noise(length, 0.1), rate);

        var error = Assert.Throws<InferenceException>(() => ReferenceAudio.PrepareFor24k(clip));

        Assert.Equal(InferenceErrorCode.UnsupportedAudioFormat, error.Code);
        Assert.Contains($"{rate} Hz; 8000 to 192000 Hz are accepted", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsRetryable);
    }

    [Theory]
    [InlineData(ReferenceAudio.MinimumSampleRate)]
    [InlineData(ReferenceAudio.MaximumSampleRate)]
    public void PrepareFor24k_RateAtEitherBound_IsAccepted(int rate)
    {
        var prepared = ReferenceAudio.PrepareFor24k(Tone(rate, seconds: 1));

        Assert.Equal(24000, prepared.Samples.Length);
    }

    [Fact]
    public void PrepareFor24k_ExactlyThirtySeconds_IsAccepted()
    {
        var prepared = ReferenceAudio.PrepareFor24k(Tone(8000, seconds: ReferenceAudio.MaximumDurationSeconds));

        Assert.Equal(24000 * 30, prepared.Samples.Length);
    }

    [Fact]
    public void PrepareFor24k_OneSampleOverThirtySeconds_ThrowsTooLong()
    {
        var clip = new AudioClip(Noise((8000 * 30) + 1, 0.1), 8000);

        var error = Assert.Throws<InferenceException>(() => ReferenceAudio.PrepareFor24k(clip));

        Assert.Equal(InferenceErrorCode.ReferenceAudioTooLong, error.Code);
        Assert.Equal("reference_audio_too_long", error.WireCode);
        Assert.Contains("at most 30 s", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public void PrepareFor24k_TooLong_RefusedBeforeScanningOrResampling()
    {
        // 60 s at 8 kHz with a NaN at the end: resampling first would allocate 1.44 M floats, scanning first would
        // report the NaN. The length alone decides.
        var samples = Noise(8000 * 60, 0.1);
        samples[^1] = float.NaN;
        var clip = new AudioClip(samples, 8000);

        var (error, allocated) = MeasureRefusal(() => ReferenceAudio.PrepareFor24k(clip));

        Assert.Equal(InferenceErrorCode.ReferenceAudioTooLong, error.Code);
        Assert.True(allocated < RefusalAllocationBound, $"allocated {allocated} bytes before refusing");
    }

    [Fact]
    public void PrepareFor24k_DigitalSilence_ThrowsSilent()
    {
        var error = Assert.Throws<InferenceException>(() => ReferenceAudio.PrepareFor24k(new AudioClip(new float[48000], 24000)));

        Assert.Equal(InferenceErrorCode.ReferenceAudioSilent, error.Code);
        Assert.Equal("reference_audio_silent", error.WireCode);
        Assert.Contains("digital silence", error.Message, StringComparison.Ordinal);
        Assert.Contains("-60 dBFS", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsRetryable);
    }

    [Theory]
    [InlineData(0.0009, false)]
    [InlineData(0.0003, false)]
    [InlineData(0.0011, true)]
    [InlineData(0.01, true)]
    public void PrepareFor24k_RmsAroundMinus60Dbfs_SilentOnlyBelowThreshold(double rms, bool accepted)
    {
        // A sine's RMS is its amplitude over sqrt(2).
        var clip = new AudioClip(AudioResamplerTests.Sine(440, 16000, seconds: 2, amplitude: rms * Math.Sqrt(2)), 16000);

        if (accepted)
        {
            Assert.Equal(48000, ReferenceAudio.PrepareFor24k(clip).Samples.Length);
            return;
        }

        var error = Assert.Throws<InferenceException>(() => ReferenceAudio.PrepareFor24k(clip));
        Assert.Equal(InferenceErrorCode.ReferenceAudioSilent, error.Code);
        Assert.Contains($"{20 * Math.Log10(rms):0.0} dBFS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PrepareFor24k_LoudStartThenSilence_JudgedOverTheWholeClip()
    {
        // 0.1 s at RMS 0.0035 then 9.9 s of zeros: RMS over the clip is 0.00035 (-69 dBFS), however loud the start.
        var samples = new float[160000];
        AudioResamplerTests.Sine(440, 16000, seconds: 0.1, amplitude: 0.005).CopyTo(samples, 0);

        var error = Assert.Throws<InferenceException>(() => ReferenceAudio.PrepareFor24k(new AudioClip(samples, 16000)));

        Assert.Equal(InferenceErrorCode.ReferenceAudioSilent, error.Code);
    }

    [Fact]
    public void Read_ValidWav_ReturnsClipAtItsOwnRate()
    {
        var wav = WavWriter.ToBytes(Tone(16000, seconds: 2).Samples, 16000, WavSampleFormat.Pcm16);

        var clip = ReferenceAudio.Read(wav);

        Assert.Equal(16000, clip.SampleRate);
        Assert.Equal(32000, clip.Samples.Length);
    }

    [Theory]
    [InlineData(8, true)]
    [InlineData(9, false)]
    [InlineData(65535, false)]
    public void Read_ChannelCount_AcceptedUpToEight(int channels, bool accepted)
    {
        // Two seconds when accepted; a refused count needs only a frame or two (65535 channels make 64 KB frames).
        var frames = accepted ? 8000 * 2 : 2;
        var data = new byte[frames * channels];
        new Random(channels).NextBytes(data);
        var wav = WavBuilder.Simple(1, (ushort)channels, 8000, 8, data);

        if (accepted)
        {
            Assert.Equal(frames, ReferenceAudio.Read(wav).Samples.Length);
            return;
        }

        var error = Assert.Throws<InferenceException>(() => ReferenceAudio.Read(wav));
        Assert.Equal(InferenceErrorCode.UnsupportedAudioFormat, error.Code);
        Assert.Contains($"{channels} channels; 1 to 8 are accepted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FortyKilobytesClaimingTwoHundredSeconds_RefusedFromTheHeader()
    {
        // 20,000 16-bit samples declared at 100 Hz: 40 KB of data that would last 200 s.
        var wav = WavBuilder.Simple(1, 1, 100, 16, new byte[40_000]);

        var (error, allocated) = MeasureRefusal(() => ReferenceAudio.Read(wav));

        Assert.Equal(InferenceErrorCode.UnsupportedAudioFormat, error.Code);
        Assert.Contains("100 Hz", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < RefusalAllocationBound, $"allocated {allocated} bytes before refusing");
    }

    [Fact]
    public void Read_OneHertzHeaderWith150000Samples_RefusedFromTheHeader()
    {
        var wav = WavBuilder.Simple(1, 1, 1, 16, new byte[300_000]);

        var (error, allocated) = MeasureRefusal(() => ReferenceAudio.Read(wav));

        Assert.Equal(InferenceErrorCode.UnsupportedAudioFormat, error.Code);
        Assert.True(allocated < RefusalAllocationBound, $"allocated {allocated} bytes before refusing");
    }

    [Theory]
    [InlineData(31)]
    [InlineData(600)]
    public void Read_LongerThanThirtySeconds_RefusedBeforeDecoding(int seconds)
    {
        // 8-bit mono at 8 kHz: decoding first would allocate 4 bytes per byte of data (1 MB for 31 s).
        var wav = WavBuilder.Simple(1, 1, 8000, 8, new byte[8000 * seconds]);

        var (error, allocated) = MeasureRefusal(() => ReferenceAudio.Read(wav));

        Assert.Equal(InferenceErrorCode.ReferenceAudioTooLong, error.Code);
        Assert.Contains($"lasts {seconds} s; at most 30 s", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < RefusalAllocationBound, $"allocated {allocated} bytes before refusing");
    }

    [Fact]
    public void Read_DataSizeClaimsAnHourButFileIsShort_LengthIsWhatIsPresent()
    {
        // The data chunk declares an hour at 8 kHz 16-bit; only 2 s are there, and only what is there counts.
        var data = new byte[8000 * 2 * 2];
        new Random(3).NextBytes(data);
        var wav = WavBuilder.Riff(WavBuilder.Chunk("fmt ", WavBuilder.Fmt(1, 1, 8000, 16)), WavBuilder.Chunk("data", data, declaredSize: 8000 * 2 * 3600));

        Assert.Equal(16000, ReferenceAudio.Read(wav).Samples.Length);
    }

    [Fact]
    public void Read_ShorterThanOneSecond_RefusedFromTheHeader()
    {
        var wav = WavBuilder.Simple(1, 1, 16000, 16, new byte[2 * 15999]);

        var error = Assert.Throws<InferenceException>(() => ReferenceAudio.Read(wav));

        Assert.Equal(InferenceErrorCode.ReferenceAudioTooShort, error.Code);
    }

    [Fact]
    public void Read_NotWav_ThrowsUnreadable()
    {
        var error = Assert.Throws<InferenceException>(() => ReferenceAudio.Read("not a wav file at all"u8.ToArray()));

        Assert.Equal(InferenceErrorCode.UnreadableAudio, error.Code);
    }

    [Fact]
    public void Read_FloatNaNSamples_UnreadableWhenPrepared()
    {
        var data = new byte[4 * 16000];
        for (var i = 0; i < 16000; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 4), i == 8000 ? float.NaN : 0.1f);
        }

        var clip = ReferenceAudio.Read(WavBuilder.Simple(3, 1, 16000, 32, data));
        var error = Assert.Throws<InferenceException>(() => ReferenceAudio.PrepareFor24k(clip));

        Assert.Equal(InferenceErrorCode.UnreadableAudio, error.Code);
        Assert.Contains("0.5 s", error.Message, StringComparison.Ordinal);
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

    internal static AudioClip Tone(int rate, double seconds) =>
        new(AudioResamplerTests.Sine(440, rate, seconds, amplitude: 0.3), rate);

    private static float[] Noise(int length, double amplitude)
    {
        var random = new Random(length);
        var samples = new float[length];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(amplitude * ((2 * random.NextDouble()) - 1));
        }

        return samples;
    }

    /// <summary>The refusal and the bytes this thread allocated while making it.</summary>
    private static (InferenceException Error, long Allocated) MeasureRefusal(Action action)
    {
        // Warm up the throw path (JIT, resource strings) so only the work before the refusal is measured.
        Assert.Throws<InferenceException>(action);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InferenceException>(action);
        return (error, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
