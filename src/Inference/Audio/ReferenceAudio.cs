using System.Globalization;

namespace Sawt.Inference.Audio;

/// <summary>
/// The bounds of a voice reference clip and its preparation for the speech encoder (24 kHz mono float32).
/// Every check that depends only on the header or the clip's length (format, rate, channels, duration) runs
/// before anything proportional to the claimed length is decoded, scanned or resampled, so a hostile header
/// costs nothing. Every failure is an <see cref="InferenceException"/> that is not retryable.
/// </summary>
public static class ReferenceAudio
{
    /// <summary>Lowest sample rate accepted for a reference (telephone audio).</summary>
    public const int MinimumSampleRate = 8_000;

    /// <summary>Highest sample rate accepted for a reference (studio audio).</summary>
    public const int MaximumSampleRate = 192_000;

    /// <summary>Most channels accepted (7.1 surround); they are averaged to mono.</summary>
    public const int MaximumChannels = 8;

    /// <summary>
    /// Longest reference accepted. The encoder uses the first 6 s for the T3 prompt and 10 s for the decoder
    /// prompt (model-contract.md section 1); the speaker embedding reads all of it, so a little more helps, but
    /// beyond this the clip only costs resampling and encoder time.
    /// </summary>
    public const int MaximumDurationSeconds = 30;

    /// <summary>
    /// RMS level (linear, full scale 1.0) below which a reference counts as silent: 0.001 is -60 dBFS, under the
    /// noise floor of any real recording of speech (a quiet room with a cheap microphone sits near -50 dBFS), so
    /// a clip this quiet is silence, a muted input or a wrongly scaled file, and conditions no voice.
    /// </summary>
    public const float SilenceRmsThreshold = 0.001f;

    /// <summary>Shortest reference accepted when no other minimum is given.</summary>
    public static readonly TimeSpan DefaultMinimumDuration = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Reads a WAV file as a reference clip (at its own rate, channels averaged to mono). The header is checked
    /// first: <see cref="InferenceErrorCode.UnsupportedAudioFormat"/> for an encoding, bit depth or rate the engine
    /// does not take or more than <see cref="MaximumChannels"/> channels, and
    /// <see cref="InferenceErrorCode.ReferenceAudioTooShort"/> / <see cref="InferenceErrorCode.ReferenceAudioTooLong"/>
    /// from the frame count alone, before any sample is decoded. Malformed bytes give
    /// <see cref="InferenceErrorCode.UnreadableAudio"/>. Pass the result to <see cref="PrepareFor24k(AudioClip)"/>
    /// (or the engine's voice encoder) for the checks on the samples themselves.
    /// </summary>
    public static AudioClip Read(ReadOnlyMemory<byte> wav)
    {
        var info = WavReader.ReadInfo(wav);
        if (info.Channels > MaximumChannels)
        {
            throw new InferenceException(
                InferenceErrorCode.UnsupportedAudioFormat,
                Invariant($"The reference audio has {info.Channels} channels; 1 to {MaximumChannels} are accepted."));
        }

        CheckFormatAndDuration(info.SampleRate, info.Frames, DefaultMinimumDuration);
        return WavReader.Read(wav);
    }

    /// <inheritdoc cref="PrepareFor24k(AudioClip, TimeSpan)"/>
    public static AudioClip PrepareFor24k(AudioClip clip) => PrepareFor24k(clip, DefaultMinimumDuration);

    /// <summary>
    /// Returns <paramref name="clip"/> resampled to <see cref="ChatterboxConstants.SampleRate"/> (the same instance
    /// when it already is). In this order, each before any work that depends on the clip's length, throws
    /// <see cref="InferenceException"/> with <see cref="InferenceErrorCode.UnsupportedAudioFormat"/> when the rate is
    /// outside <see cref="MinimumSampleRate"/>..<see cref="MaximumSampleRate"/>,
    /// <see cref="InferenceErrorCode.ReferenceAudioTooShort"/> when it is shorter than <paramref name="minimumDuration"/>,
    /// <see cref="InferenceErrorCode.ReferenceAudioTooLong"/> when it is longer than <see cref="MaximumDurationSeconds"/>;
    /// then, after one pass over the samples, <see cref="InferenceErrorCode.UnreadableAudio"/> when a sample is NaN
    /// or infinite and <see cref="InferenceErrorCode.ReferenceAudioSilent"/> when its RMS is below
    /// <see cref="SilenceRmsThreshold"/>.
    /// </summary>
    public static AudioClip PrepareFor24k(AudioClip clip, TimeSpan minimumDuration)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumDuration, TimeSpan.Zero);

        CheckFormatAndDuration(clip.SampleRate, clip.Samples.Length, minimumDuration);
        CheckSamples(clip);
        if (clip.SampleRate == ChatterboxConstants.SampleRate)
        {
            return clip;
        }

        return new AudioClip(
            AudioResampler.Resample(clip.Samples, clip.SampleRate, ChatterboxConstants.SampleRate),
            ChatterboxConstants.SampleRate);
    }

    /// <summary>Rate and length checks: O(1), from the header or the clip's length alone.</summary>
    private static void CheckFormatAndDuration(int sampleRate, long frames, TimeSpan minimumDuration)
    {
        if (sampleRate is < MinimumSampleRate or > MaximumSampleRate)
        {
            throw new InferenceException(
                InferenceErrorCode.UnsupportedAudioFormat,
                Invariant($"The reference audio's sample rate is {sampleRate} Hz; {MinimumSampleRate} to {MaximumSampleRate} Hz are accepted."));
        }

        // Compare in samples, not TimeSpan ticks, so exactly 1.0 s (or 30.0 s) at any rate is on the accepted side.
        var seconds = (double)frames / sampleRate;
        if (frames < Math.Ceiling(minimumDuration.TotalSeconds * sampleRate))
        {
            throw new InferenceException(
                InferenceErrorCode.ReferenceAudioTooShort,
                Invariant($"The reference audio lasts {seconds:0.###} s; at least {minimumDuration.TotalSeconds:0.###} s is required."));
        }

        if (frames > (long)MaximumDurationSeconds * sampleRate)
        {
            throw new InferenceException(
                InferenceErrorCode.ReferenceAudioTooLong,
                Invariant($"The reference audio lasts {seconds:0.###} s; at most {MaximumDurationSeconds} s is accepted."));
        }

        if (frames == 0)
        {
            // Only reachable with a zero minimum; the silence check below needs at least one sample.
            throw new InferenceException(InferenceErrorCode.UnreadableAudio, "The reference audio contains no samples.");
        }
    }

    /// <summary>One pass: every sample finite, and the clip's RMS at or above the silence threshold.</summary>
    private static void CheckSamples(AudioClip clip)
    {
        var samples = clip.Samples;
        var sumOfSquares = 0.0;
        for (var i = 0; i < samples.Length; i++)
        {
            var sample = samples[i];
            if (!float.IsFinite(sample))
            {
                throw new InferenceException(
                    InferenceErrorCode.UnreadableAudio,
                    Invariant($"The reference audio contains a non-finite sample ({sample}) at {(double)i / clip.SampleRate:0.###} s."));
            }

            sumOfSquares += (double)sample * sample;
        }

        var rms = Math.Sqrt(sumOfSquares / samples.Length);
        if (rms < SilenceRmsThreshold)
        {
            var level = rms > 0 ? Invariant($"{20 * Math.Log10(rms):0.0} dBFS") : "digital silence";
            throw new InferenceException(
                InferenceErrorCode.ReferenceAudioSilent,
                Invariant($"The reference audio is silent: its RMS level is {level}, below the {20 * Math.Log10(SilenceRmsThreshold):0} dBFS minimum."));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
