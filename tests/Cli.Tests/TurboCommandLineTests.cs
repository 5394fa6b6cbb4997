using Sawt.Inference.Audio;

namespace Sawt.Cli.Tests;

/// <summary>The CLI on a synthetic Turbo bundle it generates: the same commands as for a multilingual bundle, no layout flag.</summary>
[Trait("Category", "Unit")]
public sealed class TurboCommandLineTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "sawt-cli-turbo-" + Guid.NewGuid().ToString("N"));

    public TurboCommandLineTests()
    {
        Directory.CreateDirectory(_work);
    }

    [Theory]
    [InlineData("fp32")]
    [InlineData("fp16")]
    public async Task Synthesize_TurboBundle_WritesWavOfWholeTokens(string variant)
    {
        var bundle = await GenerateTurboBundle();
        var wav = Path.Combine(_work, $"turbo-{variant}.wav");

        var (code, output, error) = await Run("synthesize", "--text", "Hello from Turbo [laugh] today.", "--language", "en", "--out", wav,
            "--model", bundle, "--provider", "cpu", "--seed", "3", "--lm-variant", variant);

        Assert.True(code == 0, error);
        Assert.Contains("Wrote", output, StringComparison.Ordinal);
        var clip = WavReader.Read(wav);
        Assert.Equal(24_000, clip.SampleRate);
        Assert.True(clip.Samples.Length >= 10 * 960 && clip.Samples.Length % 960 == 0, $"{clip.Samples.Length} samples");
    }

    [Fact]
    public async Task Synthesize_TurboBundleInFrench_UnsupportedLanguageExitCode2()
    {
        var bundle = await GenerateTurboBundle();

        var (exit, _, error) = await Run("synthesize", "--text", "Bonjour.", "--language", "fr", "--out", Path.Combine(_work, "x.wav"), "--model", bundle, "--provider", "cpu");

        Assert.Equal(SawtCommandLine.EngineErrorExitCode, exit);
        Assert.Contains("error [unsupported_language]", error, StringComparison.Ordinal);
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

    private async Task<string> GenerateTurboBundle()
    {
        var bundle = Path.Combine(_work, "turbo");
        var (code, output, error) = await Run("bundle", "generate", "--out", bundle, "--size", "tiny", "--layout", "turbo");
        Assert.True(code == 0, error);
        Assert.Contains("Turbo", output, StringComparison.Ordinal);
        return bundle;
    }

    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await SawtCommandLine.RunAsync(args, output, error, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}
