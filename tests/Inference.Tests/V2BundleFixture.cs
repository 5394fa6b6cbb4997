using Sawt.Inference.Synthetic;

[assembly: AssemblyFixture(typeof(Sawt.Inference.Tests.V2BundleFixture))]

namespace Sawt.Inference.Tests;

/// <summary>One tiny synthetic bundle in the v2 re-export's layout, and one engine on it, per test run.</summary>
public sealed class V2BundleFixture : IDisposable
{
    private readonly Lazy<TtsEngine> _engine;

    public V2BundleFixture()
    {
        Directory = TinyBundleFixture.NewTempDirectory();
        SyntheticBundleGenerator.Generate(Directory, SyntheticBundleOptions.Tiny with { Layout = SyntheticLayoutKind.MultilingualV2 });
        _engine = new Lazy<TtsEngine>(() => TtsEngine.Load(Directory, new TtsEngineOptions { Bundle = TinyBundleFixture.CpuBundle }));
    }

    public string Directory { get; }

    public TtsEngine Engine => _engine.Value;

    public void Dispose()
    {
        if (_engine.IsValueCreated)
        {
            _engine.Value.Dispose();
        }

        TinyBundleFixture.DeleteQuietly(Directory);
    }
}
