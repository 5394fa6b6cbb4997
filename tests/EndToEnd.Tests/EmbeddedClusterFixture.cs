using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Sawt.Contracts.Workers;
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
    private WebApplication? _app;

    public string BundleDirectory { get; } = Path.Combine(Path.GetTempPath(), "sawt-e2e-" + Guid.NewGuid().ToString("N"));

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public Uri WebSocketUri(string path = "/v1/ws") => new UriBuilder(BaseAddress) { Scheme = "ws", Path = path }.Uri;

    public async ValueTask InitializeAsync()
    {
        SyntheticBundleGenerator.Generate(BundleDirectory, SyntheticBundleOptions.Tiny);
        _app = SiloProgram.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Sawt:Cluster:SiloPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Sawt:Cluster:GatewayPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Sawt:Workers:BundlePath", BundleDirectory,
            "--Sawt:Workers:Devices:0", "cpu",
            "--Sawt:Workers:IntraOpThreads", "1",
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);

        var registry = _app.Services.GetRequiredService<IGrainFactory>().GetGrain<IWorkerRegistryGrain>(0);
        for (var i = 0; i < 600 && (await registry.List()).Count(w => w.Ready) < 2; i++)
        {
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
