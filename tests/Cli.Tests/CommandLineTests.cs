using System.Buffers.Binary;
using Sawt.Inference.Audio;

namespace Sawt.Cli.Tests;

/// <summary>Runs the real command tree in-process against a synthetic bundle it generates.</summary>
[Trait("Category", "Unit")]
public sealed class CommandLineTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "sawt-cli-" + Guid.NewGuid().ToString("N"));

    public CommandLineTests()
    {
        Directory.CreateDirectory(_work);
    }

    [Fact]
    public async Task Synthesize_ArabicOnGeneratedBundle_WritesWavAndSaysItIsSynthetic()
    {
        var bundle = await GenerateBundle();
        var wav = Path.Combine(_work, "hello.wav");
        var (code, output, error) = await Run("synthesize", "--text", "مرحبا بكم", "--language", "ar", "--out", wav, "--model", bundle, "--provider", "cpu", "--seed", "3");

        Assert.Equal(0, code);
        Assert.Contains("synthetic bundle, not speech", error, StringComparison.Ordinal);
        Assert.Contains("Wrote", output, StringComparison.Ordinal);
        var clip = WavReader.Read(wav);
        Assert.Equal(24_000, clip.SampleRate);
        Assert.True(clip.Samples.Length > 0 && clip.Samples.Length % 960 == 0);
    }

    [Fact]
    public async Task Synthesize_V2BundleSteeredIntoALongTail_WritesWavAndReportsTheGuardsStop()
    {
        var bundle = Path.Combine(_work, "bundle-v2");
        var (generated, _, generateError) = await Run("bundle", "generate", "--out", bundle, "--size", "tiny", "--layout", "v2");
        Assert.True(generated == 0, generateError);
        Assert.True(File.Exists(Path.Combine(bundle, "onnx", "language_model_v2.onnx")));

        var wav = Path.Combine(_work, "v2.wav");
        var text = Inference.Synthetic.SyntheticAlignmentSteering.Steer("Hello there, this is a longer sentence to speak.", Inference.Synthetic.SyntheticAlignmentBehaviour.LongTail);
        var (code, output, error) = await Run("synthesize", "--text", text, "--language", "en", "--out", wav, "--model", bundle, "--provider", "cpu", "--seed", "3");

        Assert.True(code == 0, error);
        Assert.Contains("stop: long_tail", output, StringComparison.Ordinal);
        var clip = WavReader.Read(wav);
        Assert.True(clip.Samples.Length > 0 && clip.Samples.Length % 960 == 0);
    }

    [Fact]
    public async Task Synthesize_WithReferenceVoiceAndFloat32_Writes()
    {
        var bundle = await GenerateBundle();
        var voice = Path.Combine(_work, "voice.wav");
        var samples = Enumerable.Range(0, 16_000 * 2).Select(i => 0.3f * MathF.Sin(i * 0.07f)).ToArray();
        await File.WriteAllBytesAsync(voice, WavWriter.ToBytes(samples, 16_000, WavSampleFormat.Pcm16), TestContext.Current.CancellationToken);
        var wav = Path.Combine(_work, "cloned.wav");
        var (code, _, error) = await Run("synthesize", "--text", "Bonjour.", "-l", "fr", "-o", wav, "--model", bundle, "--provider", "cpu", "--voice", voice, "--format", "float32");

        Assert.True(code == 0, error);
        Assert.Equal(24_000, WavReader.Read(wav).SampleRate);
    }

    [Theory]
    [InlineData("xx", "hello", "unsupported_language")]
    [InlineData("en", "   ", "empty_text")]
    public async Task Synthesize_BadInput_ExitCode2WithStableCode(string language, string text, string code)
    {
        var bundle = await GenerateBundle();
        var (exit, _, error) = await Run("synthesize", "--text", text, "--language", language, "--out", Path.Combine(_work, "x.wav"), "--model", bundle, "--provider", "cpu");
        Assert.Equal(SawtCommandLine.EngineErrorExitCode, exit);
        Assert.Contains($"error [{code}]", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Synthesize_UnreadableVoice_UnreadableAudio()
    {
        var bundle = await GenerateBundle();
        var voice = Path.Combine(_work, "bad.wav");
        await File.WriteAllTextAsync(voice, "not a wav file at all", TestContext.Current.CancellationToken);
        var (exit, _, error) = await Run("synthesize", "--text", "hi", "--language", "en", "--out", Path.Combine(_work, "x.wav"), "--model", bundle, "--provider", "cpu", "--voice", voice);
        Assert.Equal(SawtCommandLine.EngineErrorExitCode, exit);
        Assert.Contains("error [unreadable_audio]", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(9, 0.3f, "unsupported_audio_format")]
    [InlineData(1, 0f, "reference_audio_silent")]
    public async Task Synthesize_VoiceOutsideReferenceBounds_StableCode(int channels, float amplitude, string code)
    {
        var bundle = await GenerateBundle();
        var voice = Path.Combine(_work, "voice.wav");
        var frames = 16_000 * 2;
        var samples = Enumerable.Range(0, frames * channels).Select(i => amplitude * MathF.Sin(i * 0.07f)).ToArray();
        await File.WriteAllBytesAsync(voice, InterleavedPcm16(samples, channels, 16_000), TestContext.Current.CancellationToken);

        var (exit, _, error) = await Run("synthesize", "--text", "hi", "--language", "en", "--out", Path.Combine(_work, "x.wav"), "--model", bundle, "--provider", "cpu", "--voice", voice);

        Assert.Equal(SawtCommandLine.EngineErrorExitCode, exit);
        Assert.Contains($"error [{code}]", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Synthesize_MissingModelFolder_BundleFileMissing()
    {
        var (exit, _, error) = await Run("synthesize", "--text", "hi", "--language", "en", "--out", Path.Combine(_work, "x.wav"), "--model", Path.Combine(_work, "nope"), "--provider", "cpu");
        Assert.Equal(SawtCommandLine.EngineErrorExitCode, exit);
        Assert.Contains("error [bundle_file_missing]", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Synthesize_MissingRequiredOption_ParseError()
    {
        var (exit, _, _) = await Run("synthesize", "--text", "hi");
        Assert.NotEqual(0, exit);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // Temp leftovers are harmless.
        }
    }

    private async Task<string> GenerateBundle()
    {
        var bundle = Path.Combine(_work, "bundle");
        var (code, output, error) = await Run("bundle", "generate", "--out", bundle, "--size", "tiny");
        Assert.True(code == 0, error);
        Assert.Contains("not speech", output, StringComparison.Ordinal);
        return bundle;
    }

    /// <summary>A 16-bit PCM WAV with <paramref name="channels"/> interleaved channels (the writer under test only writes mono).</summary>
    private static byte[] InterleavedPcm16(float[] samples, int channels, int sampleRate)
    {
        var blockAlign = channels * 2;
        var wav = new byte[44 + (samples.Length * 2)];
        "RIFF"u8.CopyTo(wav);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(4), wav.Length - 8);
        "WAVEfmt "u8.CopyTo(wav.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(20), 1);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(22), (short)channels);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(24), sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(28), sampleRate * blockAlign);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(32), (short)blockAlign);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(34), 16);
        "data"u8.CopyTo(wav.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(40), samples.Length * 2);
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(44 + (i * 2)), (short)(samples[i] * 32767));
        }

        return wav;
    }

    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await SawtCommandLine.RunAsync(args, output, error, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}
