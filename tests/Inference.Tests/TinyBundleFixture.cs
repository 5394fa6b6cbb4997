using Sawt.Inference.Bundles;
using Sawt.Inference.Runtime;
using Sawt.Inference.Synthetic;

[assembly: AssemblyFixture(typeof(Sawt.Inference.Tests.TinyBundleFixture))]

namespace Sawt.Inference.Tests;

/// <summary>One tiny synthetic bundle (with a draft model) and one engine on it per test run, shared by every class.</summary>
public sealed class TinyBundleFixture : IDisposable
{
    private readonly Lazy<TtsEngine> _engine;

    public TinyBundleFixture()
    {
        Directory = NewTempDirectory();
        Options = SyntheticBundleOptions.Tiny with { DraftAgreement = 0.8 };
        SyntheticBundleGenerator.Generate(Directory, Options);
        _engine = new Lazy<TtsEngine>(() => TtsEngine.Load(Directory, new TtsEngineOptions { Bundle = CpuBundle }));
    }

    public static BundleOptions CpuBundle { get; } = new() { ExecutionProvider = ExecutionProviderChoice.Cpu };

    public string Directory { get; }

    public SyntheticBundleOptions Options { get; }

    public TtsEngine Engine => _engine.Value;

    public static string NewTempDirectory() => Path.Combine(Path.GetTempPath(), "sawt-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>A copy of the bundle that a test may damage.</summary>
    public string CopyBundle()
    {
        var target = NewTempDirectory();
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

        DeleteQuietly(Directory);
    }

    public static void DeleteQuietly(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; never fail a run over cleanup.
        }
    }
}
