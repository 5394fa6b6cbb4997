using Sawt.Inference.Synthetic;

[assembly: AssemblyFixture(typeof(Sawt.Inference.Tests.Turbo.TurboBundleFixture))]

namespace Sawt.Inference.Tests.Turbo;

/// <summary>
/// One tiny synthetic Turbo bundle (fp32 and fp16 language models, a draft model) and one engine on it per test run,
/// generated on first use so runs that filter it out pay nothing.
/// </summary>
public sealed class TurboBundleFixture : IDisposable
{
    private readonly Lazy<string> _directory;
    private readonly Lazy<TtsEngine> _engine;

    public TurboBundleFixture()
    {
        _directory = new Lazy<string>(() =>
        {
            var directory = TinyBundleFixture.NewTempDirectory();
            SyntheticBundleGenerator.Generate(directory, Options);
            return directory;
        });
        _engine = new Lazy<TtsEngine>(() => Load(variant: null));
    }

    public static SyntheticBundleOptions Options { get; } = SyntheticBundleOptions.TinyTurbo with { DraftAgreement = 0.8 };

    public string Directory => _directory.Value;

    public TtsEngine Engine => _engine.Value;

    /// <summary>A new engine on the bundle (caller disposes), on the given language-model variant.</summary>
    public TtsEngine Load(string? variant, Sawt.Inference.Sampling.SpeculativeOptions? speculative = null) =>
        TtsEngine.Load(Directory, new TtsEngineOptions
        {
            Bundle = TinyBundleFixture.CpuBundle with { LanguageModelVariant = variant },
            Speculative = speculative ?? new Sawt.Inference.Sampling.SpeculativeOptions(),
        });

    /// <summary>A copy of the bundle that a test may damage.</summary>
    public string CopyBundle()
    {
        var target = TinyBundleFixture.NewTempDirectory();
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(Directory, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }

    public void Dispose()
    {
        if (_engine.IsValueCreated)
        {
            _engine.Value.Dispose();
        }

        if (_directory.IsValueCreated)
        {
            TinyBundleFixture.DeleteQuietly(_directory.Value);
        }
    }
}
