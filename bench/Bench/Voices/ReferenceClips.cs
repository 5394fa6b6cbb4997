using Sawt.Inference.Audio;

namespace Sawt.Bench.Voices;

/// <summary>
/// A distinct reference clip per voice: three sines at voice-specific frequencies under a slow tremolo, plus seeded
/// noise, as a 24 kHz mono PCM16 WAV. Voices are content-addressed (the revision is a hash of the normalised
/// samples), so equal clips would be one voice and the second upload would compute nothing.
/// </summary>
internal static class ReferenceClips
{
    public const int SampleRate = 24_000;

    public static byte[] Create(int voice, double seconds)
    {
        var samples = new float[(int)(seconds * SampleRate)];
        var random = new Random(9000 + voice);
        double[] frequencies = [110 + (17 * voice), 220 + (29 * voice), 440 + (41 * voice)];
        for (var n = 0; n < samples.Length; n++)
        {
            var t = (double)n / SampleRate;
            var tone = 0.0;
            for (var h = 0; h < frequencies.Length; h++)
            {
                tone += Math.Sin(2 * Math.PI * frequencies[h] * t) / (h + 1);
            }

            var tremolo = 0.6 + (0.4 * Math.Sin(2 * Math.PI * (2 + (0.3 * voice)) * t));
            samples[n] = (float)((0.2 * tone * tremolo) + (0.02 * ((random.NextDouble() * 2) - 1)));
        }

        return WavWriter.ToBytes(samples, SampleRate, WavSampleFormat.Pcm16);
    }
}
