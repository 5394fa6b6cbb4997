using Sawt.Inference.Synthetic;
using Sawt.Silo;

namespace Sawt.EndToEnd.Tests;

/// <summary>
/// A second embedded cluster, started with API keys for two tenants (acme, and globex with two keys), so tenant
/// tests do not change the shared fixture's open mode.
/// </summary>
public sealed class TenantClusterFixture : IAsyncLifetime
{
    public const string AcmeKey = "acme-e2e-key-0123456789abcdef";
    public const string GlobexKey = "globex-e2e-key-0123456789abcdef";
    public const string GlobexSecondKey = "globex-e2e-key-2-0123456789abcdef";

    private readonly string _bundleDirectory = Path.Combine(Path.GetTempPath(), "sawt-e2e-tenants-" + Guid.NewGuid().ToString("N"));

    public EmbeddedClusterHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        SyntheticBundleGenerator.Generate(_bundleDirectory, SyntheticBundleOptions.Tiny);
        Host = await EmbeddedClusterHost.StartAsync(
            _bundleDirectory,
            extraArguments:
            [
                "--Sawt:Auth:Keys:0:Key", AcmeKey,
                "--Sawt:Auth:Keys:0:Tenant", "acme",
                "--Sawt:Auth:Keys:1:Key", GlobexKey,
                "--Sawt:Auth:Keys:1:Tenant", "globex",
                "--Sawt:Auth:Keys:2:Key", GlobexSecondKey,
                "--Sawt:Auth:Keys:2:Tenant", "globex",
                "--Sawt:Auth:Keys:2:Name", "globex batch jobs",
            ]);
    }

    public ValueTask DisposeAsync() => FixtureTeardown.DisposeAsync(Host, bundleDirectory: _bundleDirectory);
}
