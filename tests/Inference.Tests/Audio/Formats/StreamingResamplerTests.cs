using Sawt.Inference.Audio;
using Sawt.Inference.Audio.Formats;

namespace Sawt.Inference.Tests.Audio.Formats;

[Trait("Category", "Unit")]
public sealed class StreamingResamplerTests
{
    public static TheoryData<int, int> RatesAndSeeds()
    {
        var data = new TheoryData<int, int>();
        foreach (var rate in new[] { 8000, 16000, 22050, 44100, 48000 })
        {
            foreach (var seed in new[] { 1, 2, 3 })
            {
                data.Add(rate, seed);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RatesAndSeeds))]
    public void Process_RandomChunking_EqualsWholeClipResample(int toRate, int seed)
    {
        // Noise plus a tone, 0.7 s: every phase of the polyphase filter is exercised, and a seam error would show.
        var input = FormatSignals.Noise(16_811, seed, 0.3);
        var tone = FormatSignals.Sine(1234, 24000, input.Length, 0.4);
        for (var i = 0; i < input.Length; i++)
        {
            input[i] += tone[i];
        }

        var resampler = new StreamingResampler(24000, toRate);
        var streamed = FormatSignals.Chunked(input, FormatSignals.RandomChunks(input.Length, seed, 4800), c => resampler.Process(c));
        streamed.AddRange(resampler.Flush());

        var whole = AudioResampler.Resample(input, 24000, toRate);
        Assert.Equal(whole.Length, streamed.Count);
        var maxDifference = 0.0;
        for (var i = 0; i < whole.Length; i++)
        {
            maxDifference = Math.Max(maxDifference, Math.Abs(whole[i] - streamed[i]));
        }

        Assert.True(maxDifference <= 1e-6, $"max difference {maxDifference:g3}");
    }

    [Theory]
    [InlineData(8000, 1)]
    [InlineData(8000, 2)]
    [InlineData(16000, 12_345)]
    [InlineData(22050, 7)]
    [InlineData(22050, 24_001)]
    [InlineData(44100, 3)]
    [InlineData(48000, 0)]
    [InlineData(24000, 999)]
    public void Flush_AnyLength_TotalIsRoundedRatio(int toRate, int length)
    {
        var input = FormatSignals.Noise(length, length, 0.5);
        var resampler = new StreamingResampler(24000, toRate);

        var total = FormatSignals.Chunked(input, FormatSignals.RandomChunks(length, 5, 500), c => resampler.Process(c)).Count
            + resampler.Flush().Length;

        Assert.Equal(AudioResampler.GetOutputLength(length, 24000, toRate), total);
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    [InlineData(22050)]
    [InlineData(44100)]
    [InlineData(48000)]
    public void Process_1kHzSine_PassesWithinTenthOfDb(int toRate)
    {
        var output = Stream(FormatSignals.Sine(1000, 24000, 24000, 0.5), toRate, seed: 11);

        var interior = output.AsSpan(toRate / 20, output.Length - (toRate / 10));
        var gainDb = 20 * Math.Log10(FormatSignals.Amplitude(interior, 1000, toRate) / 0.5);
        Assert.InRange(gainDb, -0.1, 0.1);
    }

    [Theory]
    [InlineData(8000, 5000)]
    [InlineData(8000, 9000)]
    [InlineData(16000, 9000)]
    [InlineData(22050, 11500)]
    public void Process_ToneAboveTargetNyquist_IsAttenuatedBeyond40Db(int toRate, int frequency)
    {
        var output = Stream(FormatSignals.Sine(frequency, 24000, 24000, 0.5), toRate, seed: 12);

        var interior = output.AsSpan(toRate / 20, output.Length - (toRate / 10));
        var attenuationDb = 20 * Math.Log10(FormatSignals.Rms(interior) / (0.5 / Math.Sqrt(2)));
        Assert.True(attenuationDb < -40, $"only {attenuationDb:0.0} dB");
    }

    [Theory]
    [InlineData(8000, 1)]
    [InlineData(16000, 2)]
    [InlineData(22050, 3)]
    [InlineData(44100, 4)]
    [InlineData(48000, 5)]
    public void Process_SineInTinyChunks_HasNoJumpAtSeams(int toRate, int seed)
    {
        const double frequency = 440;
        const double amplitude = 0.8;
        var output = Stream(FormatSignals.Sine(frequency, 24000, 24000, amplitude), toRate, seed, maxChunk: 97);

        // A sine's largest step between samples is 2 A sin(pi f / rate); anything above it (plus float noise) is a click.
        var limit = (2 * amplitude * Math.Sin(Math.PI * frequency / toRate)) + 1e-4;
        var edge = toRate / 100;
        var maxJump = 0.0;
        for (var i = edge; i < output.Length - edge - 1; i++)
        {
            maxJump = Math.Max(maxJump, Math.Abs(output[i + 1] - output[i]));
        }

        Assert.True(maxJump <= limit, $"jump {maxJump:g4} > {limit:g4}");
    }

    [Fact]
    public void Flush_ThenMoreInput_StartsOverLikeANewResampler()
    {
        var first = FormatSignals.Noise(3000, 1, 0.5);
        var second = FormatSignals.Noise(4000, 2, 0.5);
        var resampler = new StreamingResampler(24000, 16000);
        resampler.Process(first);
        resampler.Flush();

        var again = resampler.Process(second).Concat(resampler.Flush()).ToArray();

        Assert.Equal(AudioResampler.Resample(second, 24000, 16000), again);
    }

    [Fact]
    public void Process_SameRate_PassesThroughAndFlushIsEmpty()
    {
        var input = FormatSignals.Noise(100, 3, 0.5);
        var resampler = new StreamingResampler(24000, 24000);

        Assert.Equal(input, resampler.Process(input));
        Assert.Empty(resampler.Flush());
    }

    private static float[] Stream(float[] input, int toRate, int seed, int maxChunk = 12000)
    {
        var resampler = new StreamingResampler(24000, toRate);
        var output = FormatSignals.Chunked(input, FormatSignals.RandomChunks(input.Length, seed, maxChunk), c => resampler.Process(c));
        output.AddRange(resampler.Flush());
        return [.. output];
    }
}
