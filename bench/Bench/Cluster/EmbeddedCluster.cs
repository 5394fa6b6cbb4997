using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sawt.Contracts.Workers;
using Sawt.Silo;

namespace Sawt.Bench.Cluster;

/// <summary>
/// The embedded default (<see cref="SiloProgram.Build"/>: one silo, CPU workers, gateway on Kestrel) on free
/// loopback ports and a given bundle, as the end-to-end tests start it. Its logs (warnings and above) go to stderr,
/// so stdout stays the report.
/// </summary>
internal sealed class EmbeddedCluster : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmbeddedCluster(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public Uri WebSocketUri => new UriBuilder(BaseAddress) { Scheme = "ws", Path = "/v1/ws" }.Uri;

    public IClusterClient Client => _app.Services.GetRequiredService<IClusterClient>();

    public static async Task<EmbeddedCluster> StartAsync(string bundleDirectory, int intraOpThreads, TimeSpan pollPeriod, CancellationToken cancellationToken)
    {
        var app = SiloProgram.Build(
            [
                "--urls", "http://127.0.0.1:0",
                "--Sawt:Cluster:SiloPort", FreePort(),
                "--Sawt:Cluster:GatewayPort", FreePort(),
                "--Sawt:Workers:BundlePath", bundleDirectory,
                "--Sawt:Workers:Devices:0", "cpu",
                "--Sawt:Workers:IntraOpThreads", intraOpThreads.ToString(CultureInfo.InvariantCulture),
                "--Sawt:Streams:PollPeriod", pollPeriod.ToString("c", CultureInfo.InvariantCulture),
                "--Logging:LogLevel:Default", "Warning",
            ],
            builder =>
            {
                builder.Logging.ClearProviders();
                builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var cluster = new EmbeddedCluster(app, new Uri(address));

        var registry = cluster.Client.GetGrain<IWorkerRegistryGrain>(0);
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        while ((await registry.List().ConfigureAwait(false)).Count(w => w.Ready) < 2)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                await cluster.DisposeAsync().ConfigureAwait(false);
                throw new TimeoutException("The embedded cluster's workers were not ready within 2 minutes.");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static string FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }
}
