using Sawt.Inference.Synthetic;
using Sawt.Silo;

[assembly: AssemblyFixture(typeof(Sawt.EndToEnd.Tests.EmbeddedClusterFixture))]

namespace Sawt.EndToEnd.Tests;

/// <summary>
/// The embedded default as a user runs it (one process: silo, CPU workers, gateway on real Kestrel), on a
/// generated tiny bundle and free loopback ports. Shared by every end-to-end test.
/// </summary>
public sealed class EmbeddedClusterFixture : IAsyncLifetime
{
    private EmbeddedClusterHost? _host;

    public string BundleDirectory { get; } = Path.Combine(Path.GetTempPath(), "sawt-e2e-" + Guid.NewGuid().ToString("N"));

    public Uri BaseAddress => _host!.BaseAddress;

    public IServiceProvider Services => _host!.Services;

    public Uri WebSocketUri(string path = "/v1/ws") => _host!.WebSocketUri(path);

    public async ValueTask InitializeAsync()
    {
        SyntheticBundleGenerator.Generate(BundleDirectory, SyntheticBundleOptions.Tiny);
        _host = await EmbeddedClusterHost.StartAsync(BundleDirectory);
    }

    public ValueTask DisposeAsync() => FixtureTeardown.DisposeAsync(_host, bundleDirectory: BundleDirectory);
}
