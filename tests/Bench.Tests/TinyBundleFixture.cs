using Sawt.Inference.Bundles;
using Sawt.Inference.Runtime;
using Sawt.Inference.Synthetic;

[assembly: AssemblyFixture(typeof(Sawt.Bench.Tests.TinyBundleFixture))]

namespace Sawt.Bench.Tests;

/// <summary>One tiny synthetic bundle, loaded on CPU, per test run; deleted at the end.</summary>
public sealed class TinyBundleFixture : IDisposable
{
    private readonly Lazy<ModelBundle> _bundle;

    public TinyBundleFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "sawt-bench-tests-" + Guid.NewGuid().ToString("N"));
        SyntheticBundleGenerator.Generate(Directory, SyntheticBundleOptions.Tiny);
        _bundle = new Lazy<ModelBundle>(() => ModelBundle.Load(Directory, new BundleOptions { ExecutionProvider = ExecutionProviderChoice.Cpu, IntraOpThreads = 1 }));
    }

    public string Directory { get; }

    public ModelBundle Bundle => _bundle.Value;

    public void Dispose()
    {
        if (_bundle.IsValueCreated)
        {
            _bundle.Value.Dispose();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; never fail a run over cleanup.
        }
    }
}
