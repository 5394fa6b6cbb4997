using System.Numerics;

namespace Sawt.Inference.Audio;

/// <summary>
/// Band-limited sample-rate conversion between any two integer rates with a Kaiser-windowed sinc
/// (polyphase when the reduced ratio is small, table-interpolated kernel otherwise).
/// </summary>
/// <remarks>
/// The low-pass sits at the lower of the two Nyquist frequencies: pass band flat (ripple about 1e-4 dB) up to
/// 0.405 x the lower rate, stop band from 0.495 x the lower rate at about -90 dB. The signal is taken as zero
/// outside the input, so the first and last ~1.3 ms (32 samples of the lower rate) fade towards the edges.
/// Each output sample's weights are normalised to sum to 1, so DC passes exactly.
/// </remarks>
public static class AudioResampler
{
    // Kernel geometry in samples of the lower rate: cutoff at 0.45 cycles/sample, 32 samples each side.
    private const double Cutoff = 0.45;
    private const int HalfWidth = 32;
    private const double KaiserBeta = 9.0;

    // Kernel table resolution (points per lower-rate sample); linear interpolation error stays near -120 dB.
    private const int TableDensity = 1024;

    // Above this many precomputed weights (phases x taps) the kernel is looked up per output sample instead.
    private const int MaxPolyphaseWeights = 1 << 18;

    /// <summary>
    /// Resamples mono audio from <paramref name="fromRate"/> to <paramref name="toRate"/>. The result has
    /// exactly round(n x toRate / fromRate) samples (see <see cref="GetOutputLength"/>); equal rates return a copy.
    /// </summary>
    public static float[] Resample(ReadOnlySpan<float> input, int fromRate, int toRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fromRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(toRate);
        if (fromRate == toRate)
        {
            return input.ToArray();
        }

        var output = new float[GetOutputLength(input.Length, fromRate, toRate)];
        if (output.Length == 0)
        {
            return output;
        }

        var divisor = Gcd(fromRate, toRate);
        var up = toRate / divisor;
        var down = fromRate / divisor;

        // Input samples per lower-rate sample is 1 when upsampling and fromRate/toRate when downsampling.
        var scale = Math.Min(1.0, (double)toRate / fromRate);
        var half = (int)Math.Ceiling(HalfWidth / scale);
        var taps = 2 * half;

        if ((long)up * taps <= MaxPolyphaseWeights)
        {
            ResamplePolyphase(input, output, up, down, scale, half, taps);
        }
        else
        {
            ResampleInterpolated(input, output, up, down, scale, half, taps);
        }

        return output;
    }

    /// <summary>round(<paramref name="inputLength"/> x toRate / fromRate), halves rounded up.</summary>
    public static int GetOutputLength(int inputLength, int fromRate, int toRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fromRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(toRate);
        var length = ((2L * inputLength * toRate) + fromRate) / (2L * fromRate);
        if (length > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(inputLength), inputLength, $"Resampling to {toRate} Hz would exceed the maximum array length.");
        }

        return (int)length;
    }

    // Output n sits at input time t = n * down / up = i0 + phase / up; taps cover inputs i0 - half + 1 .. i0 + half.
    private static void ResamplePolyphase(
        ReadOnlySpan<float> input, Span<float> output, int up, int down, double scale, int half, int taps)
    {
        var weights = new float[up * taps];
        var scratch = new double[taps];
        for (var phase = 0; phase < up; phase++)
        {
            FillWeights(weights.AsSpan(phase * taps, taps), scratch, (double)phase / up, scale, half, exact: true);
        }

        for (var n = 0; n < output.Length; n++)
        {
            var position = (long)n * down;
            var i0 = position / up;
            var phase = (int)(position - (i0 * up));
            output[n] = Convolve(input, i0 - half + 1, weights.AsSpan(phase * taps, taps));
        }
    }

    private static void ResampleInterpolated(
        ReadOnlySpan<float> input, Span<float> output, int up, int down, double scale, int half, int taps)
    {
        var weights = new float[taps];
        var scratch = new double[taps];
        for (var n = 0; n < output.Length; n++)
        {
            var position = (long)n * down;
            var i0 = position / up;
            var fraction = (double)(position - (i0 * up)) / up;
            FillWeights(weights, scratch, fraction, scale, half, exact: false);
            output[n] = Convolve(input, i0 - half + 1, weights);
        }
    }

    // weights[j] multiplies input[i0 - half + 1 + j]; its distance from the output instant is fraction + half - 1 - j.
    private static void FillWeights(
        Span<float> weights, Span<double> raw, double fraction, double scale, int half, bool exact)
    {
        var sum = 0.0;
        for (var j = 0; j < weights.Length; j++)
        {
            var distance = Math.Abs(fraction + half - 1 - j) * scale;
            raw[j] = exact ? Kernel(distance) : KernelTable.Lookup(distance);
            sum += raw[j];
        }

        for (var j = 0; j < weights.Length; j++)
        {
            weights[j] = (float)(raw[j] / sum);
        }
    }

    private static float Convolve(ReadOnlySpan<float> input, long start, ReadOnlySpan<float> weights)
    {
        var first = (int)Math.Max(0, -start);
        var last = (int)Math.Min(weights.Length, input.Length - start);
        if (first >= last)
        {
            return 0f;
        }

        return Dot(input.Slice((int)(start + first), last - first), weights[first..last]);
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var i = 0;
        var result = 0f;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count)
        {
            var sum = Vector<float>.Zero;
            for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                sum += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
            }

            result = Vector.Sum(sum);
        }

        for (; i < a.Length; i++)
        {
            result += a[i] * b[i];
        }

        return result;
    }

    /// <summary>Windowed sinc at <paramref name="distance"/> lower-rate samples (unnormalised).</summary>
    private static double Kernel(double distance)
    {
        if (distance >= HalfWidth)
        {
            return 0.0;
        }

        var x = 2.0 * Cutoff * distance;
        var sinc = x == 0.0 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);
        var ratio = distance / HalfWidth;
        return sinc * BesselI0(KaiserBeta * Math.Sqrt(1.0 - (ratio * ratio))) / BesselI0(KaiserBeta);
    }

    private static double BesselI0(double x)
    {
        // Power series; terms fall below 1e-17 of the sum well before 50 iterations for x <= 9.
        var sum = 1.0;
        var term = 1.0;
        var quarterSquare = x * x / 4.0;
        for (var k = 1; k < 50; k++)
        {
            term *= quarterSquare / (k * (double)k);
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }

        return sum;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }

    /// <summary>The kernel sampled once, immutable after type initialisation.</summary>
    private static class KernelTable
    {
        private static readonly double[] Values = Build();

        public static double Lookup(double distance)
        {
            var x = distance * TableDensity;
            var index = (int)x;
            if (index >= HalfWidth * TableDensity)
            {
                return 0.0;
            }

            var fraction = x - index;
            return Values[index] + (fraction * (Values[index + 1] - Values[index]));
        }

        private static double[] Build()
        {
            var values = new double[(HalfWidth * TableDensity) + 1];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Kernel((double)i / TableDensity);
            }

            return values;
        }
    }
}
