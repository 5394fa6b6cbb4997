namespace Sawt.Inference.Audio;

/// <summary>
/// Mono float32 audio, nominally in [-1, 1]. Equality compares <see cref="Samples"/> by reference, as records
/// do for arrays.
/// </summary>
/// <param name="Samples">One sample per frame.</param>
/// <param name="SampleRate">Samples per second; must be positive.</param>
public sealed record AudioClip(float[] Samples, int SampleRate)
{
    public float[] Samples { get; } = Samples ?? throw new ArgumentNullException(nameof(Samples));

    public int SampleRate { get; } = SampleRate > 0
        ? SampleRate
        : throw new ArgumentOutOfRangeException(nameof(SampleRate), SampleRate, "The sample rate must be positive.");

    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);
}
