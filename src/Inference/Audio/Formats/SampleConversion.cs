namespace Sawt.Inference.Audio.Formats;

/// <summary>Float to 16-bit conversion, the same convention as <see cref="WavWriter"/>.</summary>
internal static class SampleConversion
{
    /// <summary>Scales by 32768, rounds to nearest (ties to even), clips to [-32768, 32767]; NaN becomes 0.</summary>
    public static short ToPcm16(float sample)
    {
        if (float.IsNaN(sample))
        {
            return 0;
        }

        return (short)Math.Clamp(MathF.Round(sample * 32768f), short.MinValue, short.MaxValue);
    }

    public static float FromPcm16(short sample) => sample / 32768f;
}
