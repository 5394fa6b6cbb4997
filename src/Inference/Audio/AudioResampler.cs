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

        var kernel = new ResamplingKernel(fromRate, toRate);
        for (var n = 0; n < output.Length; n++)
        {
            output[n] = kernel.Compute(input, 0, n);
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
}
