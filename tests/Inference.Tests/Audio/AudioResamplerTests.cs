using Sawt.Inference.Audio;

namespace Sawt.Inference.Tests.Audio;

[Trait("Category", "Unit")]
public sealed class AudioResamplerTests
{
    [Theory]
    [InlineData(48000, 24000)]
    [InlineData(16000, 24000)]
    [InlineData(8000, 24000)]
    [InlineData(22050, 24000)]
    [InlineData(44100, 24000)]
    [InlineData(24000, 48000)]
    [InlineData(24000, 16000)]
    [InlineData(24000, 44100)]
    [InlineData(44056, 24000)]
    [InlineData(24000, 44056)]
    public void Resample_1kHzSine_KeepsAmplitude(int fromRate, int toRate)
    {
        var input = Sine(1000, fromRate, seconds: 1.0, amplitude: 0.5);

        var output = AudioResampler.Resample(input, fromRate, toRate);

        var gainDb = 20 * Math.Log10(Amplitude(output, 1000, toRate) / 0.5);
        Assert.InRange(gainDb, -0.01, 0.01);
    }

    [Theory]
    [InlineData(48000, 24000, 15000)]
    [InlineData(48000, 24000, 12500)]
    [InlineData(44100, 24000, 13000)]
    [InlineData(44100, 24000, 20000)]
    [InlineData(44056, 24000, 15000)]
    public void Resample_ToneAboveTargetNyquist_IsAttenuatedBeyond60Db(int fromRate, int toRate, int frequency)
    {
        var input = Sine(frequency, fromRate, seconds: 1.0, amplitude: 0.5);

        var output = AudioResampler.Resample(input, fromRate, toRate);

        // Whatever is left aliases to some frequency below the target Nyquist: measure total RMS.
        var attenuationDb = 20 * Math.Log10(Rms(Interior(output, toRate)) / (0.5 / Math.Sqrt(2)));
        Assert.True(attenuationDb < -60, $"only {attenuationDb:0.0} dB");
    }

    [Fact]
    public void Resample_UpsampledTone_HasNoImageAboveSourceNyquist()
    {
        // 7 kHz at 16 kHz images to 9 kHz when upsampled badly.
        var input = Sine(7000, 16000, seconds: 1.0, amplitude: 0.5);

        var output = AudioResampler.Resample(input, 16000, 48000);

        var imageDb = 20 * Math.Log10(Amplitude(output, 9000, 48000) / 0.5);
        Assert.True(imageDb < -60, $"image only {imageDb:0.0} dB down");
    }

    [Theory]
    [InlineData(48000, 24000, 48000, 24000)]
    [InlineData(16000, 24000, 16000, 24000)]
    [InlineData(44100, 24000, 44100, 24000)]
    [InlineData(44100, 24000, 1, 1)]
    [InlineData(44100, 24000, 2, 1)]
    [InlineData(44100, 24000, 3, 2)]
    [InlineData(22050, 24000, 12345, 13437)]
    [InlineData(8000, 24000, 0, 0)]
    [InlineData(24000, 44056, 100, 184)]
    public void Resample_AnyLength_OutputLengthIsRoundedRatio(int fromRate, int toRate, int inputLength, int expected)
    {
        var output = AudioResampler.Resample(new float[inputLength], fromRate, toRate);

        Assert.Equal(expected, output.Length);
        Assert.Equal(expected, AudioResampler.GetOutputLength(inputLength, fromRate, toRate));
        Assert.Equal((int)Math.Round((double)inputLength * toRate / fromRate, MidpointRounding.AwayFromZero), expected);
    }

    [Theory]
    [InlineData(48000, 24000)]
    [InlineData(16000, 24000)]
    [InlineData(44100, 24000)]
    [InlineData(24000, 16000)]
    [InlineData(44056, 24000)]
    public void Resample_Dc_IsPreservedAwayFromEdges(int fromRate, int toRate)
    {
        var input = Enumerable.Repeat(0.3f, fromRate / 2).ToArray();

        var output = AudioResampler.Resample(input, fromRate, toRate);

        foreach (var sample in Interior(output, toRate))
        {
            Assert.Equal(0.3f, sample, 1e-6f);
        }
    }

    [Fact]
    public void Resample_SameRate_ReturnsCopy()
    {
        float[] input = [0.1f, -0.2f, 0.3f];

        var output = AudioResampler.Resample(input, 24000, 24000);

        Assert.Equal(input, output);
        Assert.NotSame(input, output);
    }

    [Theory]
    [InlineData(0, 24000)]
    [InlineData(24000, -1)]
    public void Resample_NonPositiveRate_Throws(int fromRate, int toRate)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AudioResampler.Resample(new float[10], fromRate, toRate));
    }

    [Fact]
    public void Resample_TenSecondsAt44k_IsFast()
    {
        var input = Sine(440, 44100, seconds: 10, amplitude: 0.5);
        AudioResampler.Resample(input.AsSpan(0, 4410), 44100, 24000);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var output = AudioResampler.Resample(input, 44100, 24000);
        watch.Stop();

        Assert.Equal(240000, output.Length);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed.TotalMilliseconds:0} ms");
    }

    internal static float[] Sine(double frequency, int rate, double seconds, double amplitude)
    {
        var samples = new float[(int)(rate * seconds)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(amplitude * Math.Sin(2 * Math.PI * frequency * i / rate));
        }

        return samples;
    }

    /// <summary>Drops 50 ms at each end, where zero padding outside the input shapes the output.</summary>
    private static ReadOnlySpan<float> Interior(float[] samples, int rate) => samples.AsSpan(rate / 20, samples.Length - (rate / 10));

    /// <summary>Least-squares amplitude of a sinusoid at <paramref name="frequency"/> over the interior.</summary>
    private static double Amplitude(float[] samples, double frequency, int rate)
    {
        var start = rate / 20;
        var interior = Interior(samples, rate);
        double cc = 0, ss = 0, cs = 0, yc = 0, ys = 0;
        for (var i = 0; i < interior.Length; i++)
        {
            var phase = 2 * Math.PI * frequency * (start + i) / rate;
            var c = Math.Cos(phase);
            var s = Math.Sin(phase);
            cc += c * c;
            ss += s * s;
            cs += c * s;
            yc += interior[i] * c;
            ys += interior[i] * s;
        }

        var determinant = (cc * ss) - (cs * cs);
        var a = ((yc * ss) - (ys * cs)) / determinant;
        var b = ((ys * cc) - (yc * cs)) / determinant;
        return Math.Sqrt((a * a) + (b * b));
    }

    private static double Rms(ReadOnlySpan<float> samples)
    {
        var sum = 0.0;
        foreach (var sample in samples)
        {
            sum += sample * (double)sample;
        }

        return Math.Sqrt(sum / samples.Length);
    }
}
