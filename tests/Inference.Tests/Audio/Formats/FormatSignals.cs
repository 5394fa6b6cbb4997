namespace Sawt.Inference.Tests.Audio.Formats;

/// <summary>Test signals, random chunkings and measurements for the format tests.</summary>
internal static class FormatSignals
{
    public static float[] Sine(double frequency, int rate, int length, double amplitude)
    {
        var samples = new float[length];
        for (var i = 0; i < length; i++)
        {
            samples[i] = (float)(amplitude * Math.Sin(2 * Math.PI * frequency * i / rate));
        }

        return samples;
    }

    public static float[] Noise(int length, int seed, double amplitude)
    {
        var random = new Random(seed);
        var samples = new float[length];
        for (var i = 0; i < length; i++)
        {
            samples[i] = (float)(amplitude * ((2 * random.NextDouble()) - 1));
        }

        return samples;
    }

    /// <summary>Chunk lengths covering <paramref name="total"/>: a mix of empty, single-sample, short and long chunks.</summary>
    public static List<int> RandomChunks(int total, int seed, int maxChunk)
    {
        var random = new Random(seed);
        var chunks = new List<int>();
        var left = total;
        while (left > 0)
        {
            var length = random.Next(10) switch
            {
                0 => 0,
                1 => 1,
                2 => random.Next(2, 64),
                _ => random.Next(64, maxChunk + 1),
            };
            length = Math.Min(length, left);
            chunks.Add(length);
            left -= length;
        }

        return chunks;
    }

    /// <summary>Feeds <paramref name="input"/> through <paramref name="process"/> chunk by chunk and concatenates.</summary>
    public static List<T> Chunked<T>(float[] input, List<int> chunks, Func<float[], IEnumerable<T>> process)
    {
        var output = new List<T>();
        var offset = 0;
        foreach (var length in chunks)
        {
            output.AddRange(process(input[offset..(offset + length)]));
            offset += length;
        }

        return output;
    }

    /// <summary>Least-squares amplitude of a sinusoid at <paramref name="frequency"/> (phase free).</summary>
    public static double Amplitude(ReadOnlySpan<float> samples, double frequency, int rate)
    {
        double cc = 0, ss = 0, cs = 0, yc = 0, ys = 0;
        for (var i = 0; i < samples.Length; i++)
        {
            var phase = 2 * Math.PI * frequency * i / rate;
            var c = Math.Cos(phase);
            var s = Math.Sin(phase);
            cc += c * c;
            ss += s * s;
            cs += c * s;
            yc += samples[i] * c;
            ys += samples[i] * s;
        }

        var determinant = (cc * ss) - (cs * cs);
        var a = ((yc * ss) - (ys * cs)) / determinant;
        var b = ((ys * cc) - (yc * cs)) / determinant;
        return Math.Sqrt((a * a) + (b * b));
    }

    /// <summary>The frequency in [lowHz, highHz] (1 Hz steps) with the most power, by Goertzel.</summary>
    public static int DominantFrequency(ReadOnlySpan<float> samples, int rate, int lowHz, int highHz)
    {
        var best = lowHz;
        var bestPower = double.MinValue;
        for (var f = lowHz; f <= highHz; f++)
        {
            var w = 2 * Math.PI * f / rate;
            var coefficient = 2 * Math.Cos(w);
            double s1 = 0, s2 = 0;
            foreach (var x in samples)
            {
                var s0 = x + (coefficient * s1) - s2;
                s2 = s1;
                s1 = s0;
            }

            var power = (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2);
            if (power > bestPower)
            {
                bestPower = power;
                best = f;
            }
        }

        return best;
    }

    public static double Rms(ReadOnlySpan<float> samples)
    {
        var sum = 0.0;
        foreach (var sample in samples)
        {
            sum += sample * (double)sample;
        }

        return Math.Sqrt(sum / samples.Length);
    }

    /// <summary>10 log10(signal power / error power) of <paramref name="actual"/> against <paramref name="reference"/>.</summary>
    public static double SnrDb(ReadOnlySpan<float> reference, ReadOnlySpan<float> actual)
    {
        double signal = 0, error = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            signal += reference[i] * (double)reference[i];
            var e = actual[i] - (double)reference[i];
            error += e * e;
        }

        return 10 * Math.Log10(signal / error);
    }
}
