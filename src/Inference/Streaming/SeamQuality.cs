using System.Numerics;

namespace Sawt.Inference.Streaming;

/// <summary>
/// Measures seams of streamed audio against the same tokens decoded in one call, in a window around
/// each seam: the largest sample difference, the largest sample-to-sample jump beyond the reference's own
/// jump, and the log-spectral distance (dB) between the windows' magnitude spectra.
/// </summary>
public static class SeamQuality
{
    /// <param name="streamed">Concatenated chunk audio.</param>
    /// <param name="reference">One-call decode of the same tokens (same length).</param>
    /// <param name="seams">Sample offsets where one chunk ends and the next begins.</param>
    /// <param name="halfWindow">Samples each side of a seam (default 480 = 20 ms).</param>
    public static SeamReport Measure(ReadOnlySpan<float> streamed, ReadOnlySpan<float> reference, IReadOnlyList<long> seams, int halfWindow = 480)
    {
        if (streamed.Length != reference.Length)
        {
            throw new ArgumentException($"Streamed audio has {streamed.Length} samples, the reference {reference.Length}.", nameof(reference));
        }

        double maxDifference = 0, maxExcessJump = 0, maxSpectral = 0;
        foreach (var seam in seams)
        {
            var start = (int)Math.Max(0, seam - halfWindow);
            var end = (int)Math.Min(streamed.Length, seam + halfWindow);
            if (end - start < 2)
            {
                continue;
            }

            var s = streamed[start..end];
            var r = reference[start..end];
            for (var i = 0; i < s.Length; i++)
            {
                maxDifference = Math.Max(maxDifference, Math.Abs(s[i] - r[i]));
            }

            maxExcessJump = Math.Max(maxExcessJump, MaxJump(s) - MaxJump(r));
            maxSpectral = Math.Max(maxSpectral, LogSpectralDistance(s, r));
        }

        return new SeamReport(seams.Count, maxDifference, Math.Max(0, maxExcessJump), maxSpectral);
    }

    private static double MaxJump(ReadOnlySpan<float> x)
    {
        double jump = 0;
        for (var i = 1; i < x.Length; i++)
        {
            jump = Math.Max(jump, Math.Abs(x[i] - x[i - 1]));
        }

        return jump;
    }

    /// <summary>RMS over frequency bins of the dB difference of Hann-windowed magnitude spectra (floor -80 dB).</summary>
    private static double LogSpectralDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var n = a.Length;
        var bins = (n / 2) + 1;
        double sum = 0;
        for (var k = 0; k < bins; k++)
        {
            var da = Magnitude(a, k);
            var db = Magnitude(b, k);
            var diff = (20 * Math.Log10(Math.Max(da, 1e-4))) - (20 * Math.Log10(Math.Max(db, 1e-4)));
            sum += diff * diff;
        }

        return Math.Sqrt(sum / bins);
    }

    private static double Magnitude(ReadOnlySpan<float> x, int k)
    {
        var n = x.Length;
        var acc = Complex.Zero;
        for (var i = 0; i < n; i++)
        {
            var hann = 0.5 - (0.5 * Math.Cos(2 * Math.PI * i / (n - 1)));
            acc += x[i] * hann * Complex.FromPolarCoordinates(1, -2 * Math.PI * k * i / n);
        }

        return acc.Magnitude / n;
    }
}
