using Sawt.Inference.Synthetic;
using Sawt.Silo;
using Sawt.Tests.Shared;

namespace Sawt.EndToEnd.Tests.Cluster;

/// <summary>
/// Two silos (CPU workers) and a standalone gateway that find each other through a real redis-server, with keys
/// configured: one tenant key for the API and one operator key for <c>/ops</c>.
/// </summary>
public sealed class OpsDashboardFixture : IAsyncLifetime
{
    public const int SiloCount = 2;
    public const string TenantKey = "ops-e2e-tenant-key-0123456789";
    public const string OperatorKey = "ops-e2e-operator-key-0123456789";

    private readonly string _bundle = Path.Combine(Path.GetTempPath(), "sawt-e2e-ops-" + Guid.NewGuid().ToString("N"));

    internal RedisServer Redis { get; private set; } = null!;

    internal RedisClusterHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        SyntheticBundleGenerator.Generate(_bundle, SyntheticBundleOptions.Tiny);
        Redis = await RedisServer.StartAsync();
        Host = await RedisClusterHost.StartAsync(Redis.ConnectionString, _bundle, SiloCount, gatewayArguments:
        [
            "--Sawt:Auth:Keys:0:Key", TenantKey,
            "--Sawt:Auth:Keys:0:Tenant", "ops-e2e",
            "--Sawt:Auth:OperatorKeys:0", OperatorKey,
        ]);
    }

    public ValueTask DisposeAsync() => FixtureTeardown.DisposeAsync(Host, Redis, _bundle);
}
