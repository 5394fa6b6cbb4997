using System.Numerics;

namespace Sawt.Inference.Audio;

/// <summary>
/// The Kaiser-windowed sinc behind <see cref="AudioResampler"/> and <see cref="Formats.StreamingResampler"/>, fixed to
/// one rate pair. Output sample n sits at input time n x down / up; its taps cover inputs
/// floor(n x down / up) - half + 1 .. floor(n x down / up) + half, and inputs outside the signal read as zero.
/// Both resamplers compute every output through <see cref="Compute"/>, so a stream and a whole clip agree bit for bit.
/// </summary>
/// <remarks>Not thread-safe: the table-interpolated mode reuses per-instance scratch buffers.</remarks>
internal sealed class ResamplingKernel
{
    // Kernel geometry in samples of the lower rate: cutoff at 0.45 cycles/sample, 32 samples each side.
    private const double Cutoff = 0.45;
    private const int HalfWidth = 32;
    private const double KaiserBeta = 9.0;

    // Kernel table resolution (points per lower-rate sample); linear interpolation error stays near -120 dB.
    private const int TableDensity = 1024;

    // Above this many precomputed weights (phases x taps) the kernel is looked up per output sample instead.
    private const int MaxPolyphaseWeights = 1 << 18;

    private readonly double _scale;

    // Polyphase mode: up x taps weights, phase-major. Null in table-interpolated mode.
    private readonly float[]? _polyphase;

    // Table-interpolated mode scratch (one output sample's weights).
    private readonly float[] _weights;
    private readonly double[] _raw;

    public ResamplingKernel(int fromRate, int toRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fromRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(toRate);
        var divisor = Gcd(fromRate, toRate);
        Up = toRate / divisor;
        Down = fromRate / divisor;

        // Input samples per lower-rate sample is 1 when upsampling and fromRate/toRate when downsampling.
        _scale = Math.Min(1.0, (double)toRate / fromRate);
        Half = (int)Math.Ceiling(HalfWidth / _scale);
        Taps = 2 * Half;
        _weights = new float[Taps];
        _raw = new double[Taps];

        if ((long)Up * Taps <= MaxPolyphaseWeights)
        {
            _polyphase = new float[Up * Taps];
            for (var phase = 0; phase < Up; phase++)
            {
                FillWeights(_polyphase.AsSpan(phase * Taps, Taps), (double)phase / Up, exact: true);
            }
        }
    }

    /// <summary>Output rate / gcd.</summary>
    public int Up { get; }

    /// <summary>Input rate / gcd.</summary>
    public int Down { get; }

    /// <summary>Taps each side of the output instant, in input samples.</summary>
    public int Half { get; }

    public int Taps { get; }

    /// <summary>The input index of output <paramref name="n"/>'s first tap (may be negative).</summary>
    public long FirstTap(long n) => (n * Down / Up) - Half + 1;

    /// <summary>
    /// Output sample <paramref name="n"/>, reading its taps from <paramref name="input"/>, whose element 0 is input
    /// sample <paramref name="inputOffset"/>; taps outside the span count as zero.
    /// </summary>
    public float Compute(ReadOnlySpan<float> input, long inputOffset, long n)
    {
        var position = n * Down;
        var i0 = position / Up;
        var phase = (int)(position - (i0 * Up));
        ReadOnlySpan<float> weights;
        if (_polyphase is not null)
        {
            weights = _polyphase.AsSpan(phase * Taps, Taps);
        }
        else
        {
            FillWeights(_weights, (double)phase / Up, exact: false);
            weights = _weights;
        }

        return Convolve(input, i0 - Half + 1 - inputOffset, weights);
    }

    // weights[j] multiplies input[i0 - half + 1 + j]; its distance from the output instant is fraction + half - 1 - j.
    private void FillWeights(Span<float> weights, double fraction, bool exact)
    {
        var sum = 0.0;
        for (var j = 0; j < weights.Length; j++)
        {
            var distance = Math.Abs(fraction + Half - 1 - j) * _scale;
            _raw[j] = exact ? Kernel(distance) : KernelTable.Lookup(distance);
            sum += _raw[j];
        }

        for (var j = 0; j < weights.Length; j++)
        {
            weights[j] = (float)(_raw[j] / sum);
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
