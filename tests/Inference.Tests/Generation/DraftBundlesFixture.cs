using Sawt.Inference.Synthetic;

namespace Sawt.Inference.Tests.Generation;

/// <summary>Two tiny bundles with draft models: one identical to its target (agreement 1), one that disagrees often.</summary>
public sealed class DraftBundlesFixture : IDisposable
{
    public const double PartialAgreement = 0.6;

    private readonly List<string> _directories = [];

    public DraftBundlesFixture()
    {
        Identical = Load(1.0);
        Partial = Load(PartialAgreement);
    }

    /// <summary>The draft equals the target: every draft must be accepted.</summary>
    public TtsEngine Identical { get; }

    /// <summary>The draft differs: rejections at every position happen.</summary>
    public TtsEngine Partial { get; }

    public void Dispose()
    {
        Identical.Dispose();
        Partial.Dispose();
        foreach (var directory in _directories)
        {
            TinyBundleFixture.DeleteQuietly(directory);
        }
    }

    private TtsEngine Load(double agreement)
    {
        var directory = TinyBundleFixture.NewTempDirectory();
        _directories.Add(directory);
        SyntheticBundleGenerator.Generate(directory, SyntheticBundleOptions.Tiny with { DraftAgreement = agreement });
        return TtsEngine.Load(directory, new TtsEngineOptions { Bundle = TinyBundleFixture.CpuBundle });
    }
}
