using Sawt.Inference.Synthetic;
using Sawt.Silo;

namespace Sawt.EndToEnd.Tests.Turbo;

/// <summary>The embedded default (silo, CPU workers, gateway) on a generated tiny Turbo bundle: one cluster for the Turbo tests.</summary>
public sealed class TurboClusterFixture : IAsyncLifetime
{
    private EmbeddedClusterHost? _host;

    public string BundleDirectory { get; } = Path.Combine(Path.GetTempPath(), "sawt-e2e-turbo-" + Guid.NewGuid().ToString("N"));

    public Uri WebSocketUri() => _host!.WebSocketUri();

    public async ValueTask InitializeAsync()
    {
        SyntheticBundleGenerator.Generate(BundleDirectory, SyntheticBundleOptions.TinyTurbo);
        _host = await EmbeddedClusterHost.StartAsync(BundleDirectory);
    }

    public ValueTask DisposeAsync() => FixtureTeardown.DisposeAsync(_host, bundleDirectory: BundleDirectory);
}
