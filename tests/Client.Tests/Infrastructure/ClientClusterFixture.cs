using Sawt.Inference.Synthetic;
using Sawt.Silo;

[assembly: AssemblyFixture(typeof(Sawt.Client.Tests.Infrastructure.ClientClusterFixture))]

namespace Sawt.Client.Tests.Infrastructure;

/// <summary>
/// The real embedded cluster (one process: silo, CPU workers on a generated tiny bundle, the gateway on Kestrel, free
/// loopback ports) with an API key configured, so that authentication is on as in production. Shared by the client's
/// cluster tests.
/// </summary>
public sealed class ClientClusterFixture : IAsyncLifetime
{
    public const string ApiKey = "client-tests-key-0123456789abcdef";

    public string BundleDirectory { get; } = Path.Combine(Path.GetTempPath(), "sawt-client-" + Guid.NewGuid().ToString("N"));

    public EmbeddedClusterHost Host { get; private set; } = null!;

    /// <summary>Options for a client of this cluster; <paramref name="apiKey"/> defaults to the valid key.</summary>
    public SawtClientOptions Options(string? apiKey = ApiKey) => new() { BaseAddress = Host.BaseAddress, ApiKey = apiKey };

    public async ValueTask InitializeAsync()
    {
        SyntheticBundleGenerator.Generate(BundleDirectory, SyntheticBundleOptions.Tiny);
        Host = await EmbeddedClusterHost.StartAsync(
            BundleDirectory,
            extraArguments: ["--Sawt:Auth:Keys:0:Key", ApiKey, "--Sawt:Auth:Keys:0:Tenant", "client-tests"]);
    }

    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        try
        {
            Directory.Delete(BundleDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Temp leftovers are harmless.
        }
    }
}
