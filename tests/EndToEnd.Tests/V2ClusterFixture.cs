using Sawt.Inference.Synthetic;
using Sawt.Silo;

namespace Sawt.EndToEnd.Tests;

/// <summary>
/// The embedded default (as <see cref="EmbeddedClusterFixture"/>) on the synthetic bundle in the v2 re-export's layout,
/// taken from the shared synthetic bundle cache so it is generated once per machine. One cluster for the v2 tests.
/// </summary>
public sealed class V2ClusterFixture : IAsyncLifetime
{
    private EmbeddedClusterHost? _host;

    public string BundleDirectory { get; } = SyntheticBundleCache.EnsureTinyV2(Path.Combine(Path.GetTempPath(), "sawt-bundles"));

    public Uri BaseAddress => _host!.BaseAddress;

    public Uri WebSocketUri(string path = "/v1/ws") => _host!.WebSocketUri(path);

    public async ValueTask InitializeAsync() => _host = await EmbeddedClusterHost.StartAsync(BundleDirectory);

    public ValueTask DisposeAsync() => FixtureTeardown.DisposeAsync(_host);
}
