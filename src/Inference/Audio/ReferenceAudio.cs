using System.Globalization;

namespace Sawt.Inference.Audio;

/// <summary>Validates a voice reference clip and brings it to the model rate (24 kHz mono float32).</summary>
public static class ReferenceAudio
{
    /// <summary>Shortest reference accepted when no other minimum is given.</summary>
    public static readonly TimeSpan DefaultMinimumDuration = TimeSpan.FromSeconds(1);

    /// <inheritdoc cref="PrepareFor24k(AudioClip, TimeSpan)"/>
    public static AudioClip PrepareFor24k(AudioClip clip) => PrepareFor24k(clip, DefaultMinimumDuration);

    /// <summary>
    /// Returns <paramref name="clip"/> resampled to <see cref="ChatterboxConstants.SampleRate"/> (the same instance
    /// when it already is). Throws <see cref="InferenceException"/> with
    /// <see cref="InferenceErrorCode.UnreadableAudio"/> when a sample is NaN or infinite, and with
    /// <see cref="InferenceErrorCode.ReferenceAudioTooShort"/> when the clip is shorter than
    /// <paramref name="minimumDuration"/>.
    /// </summary>
    public static AudioClip PrepareFor24k(AudioClip clip, TimeSpan minimumDuration)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumDuration, TimeSpan.Zero);

        var samples = clip.Samples;
        for (var i = 0; i < samples.Length; i++)
        {
            if (!float.IsFinite(samples[i]))
            {
                throw new InferenceException(
                    InferenceErrorCode.UnreadableAudio,
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"The reference audio contains a non-finite sample ({samples[i]}) at {(double)i / clip.SampleRate:0.###} s."));
            }
        }

        // Compare in samples, not TimeSpan ticks, so exactly 1.0 s at any rate passes a 1.0 s minimum.
        var minimumSamples = Math.Ceiling(minimumDuration.TotalSeconds * clip.SampleRate);
        if (samples.Length < minimumSamples)
        {
            throw new InferenceException(
                InferenceErrorCode.ReferenceAudioTooShort,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The reference audio lasts {clip.Duration.TotalSeconds:0.###} s; at least {minimumDuration.TotalSeconds:0.###} s is required."));
        }

        if (clip.SampleRate == ChatterboxConstants.SampleRate)
        {
            return clip;
        }

        return new AudioClip(
            AudioResampler.Resample(samples, clip.SampleRate, ChatterboxConstants.SampleRate),
            ChatterboxConstants.SampleRate);
    }
}
