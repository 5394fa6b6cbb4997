using Sawt.Inference.Synthetic;

namespace Sawt.Inference.Tests;

/// <summary>Recovers the synthetic decoder's tone index per 960-sample token block (Goertzel over the 256 tones).</summary>
internal static class ToneAnalysis
{
    public static long[] DetectTones(ReadOnlySpan<float> audio)
    {
        const int block = ChatterboxConstants.SamplesPerToken;
        var result = new long[audio.Length / block];
        for (var b = 0; b < result.Length; b++)
        {
            result[b] = StrongestTone(audio.Slice(b * block, block));
        }

        return result;
    }

    public static long StrongestTone(ReadOnlySpan<float> block)
    {
        var best = -1L;
        var bestPower = -1.0;
        for (var tone = 0; tone < SyntheticLayout.ToneCount; tone++)
        {
            var power = Power(block, SyntheticLayout.ToneFrequency(tone));
            if (power > bestPower)
            {
                bestPower = power;
                best = tone;
            }
        }

        return best;
    }

    public static double Power(ReadOnlySpan<float> block, double frequency)
    {
        var w = 2 * Math.PI * frequency / ChatterboxConstants.SampleRate;
        var coefficient = 2 * Math.Cos(w);
        double s1 = 0, s2 = 0;
        foreach (var x in block)
        {
            var s0 = x + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s0;
        }

        return (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2);
    }
}
