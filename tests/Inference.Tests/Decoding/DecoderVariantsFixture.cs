using Sawt.Inference.Audio;
using Sawt.Inference.Synthetic;
using Sawt.Inference.Voices;

namespace Sawt.Inference.Tests.Decoding;

/// <summary>
/// A tiny bundle carrying every decoder schedule (v2's n4/n6/n10 and a MeanFlow plain file), loaded with all four
/// variants (n6 first, the default), plus a second voice whose prompt has the default voice's lengths.
/// </summary>
public sealed class DecoderVariantsFixture : IDisposable
{
    /// <summary>Configured order: the default first, the rest deliberately not sorted by steps.</summary>
    public static readonly string[] ConfiguredVariants = ["n6", "n4", "n10", "fp32"];

    public DecoderVariantsFixture()
    {
        Directory = TinyBundleFixture.NewTempDirectory();
        SyntheticBundleGenerator.Generate(Directory, SyntheticBundleOptions.Tiny with { DecoderFiles = SyntheticDecoderFile.AllSchedules });
        Engine = TtsEngine.Load(Directory, new TtsEngineOptions { Bundle = TinyBundleFixture.CpuBundle with { DecoderVariants = ConfiguredVariants } });
        // Another clip of the same length: the same prompt token and mel frame counts, other values.
        OtherVoice = Engine.EncodeVoiceAsync(new AudioClip(SyntheticBundleGenerator.DefaultVoiceSamples(7), ChatterboxConstants.SampleRate)).GetAwaiter().GetResult();
    }

    public string Directory { get; }

    public TtsEngine Engine { get; }

    public VoiceConditionals OtherVoice { get; }

    public void Dispose()
    {
        Engine.Dispose();
        TinyBundleFixture.DeleteQuietly(Directory);
    }
}
