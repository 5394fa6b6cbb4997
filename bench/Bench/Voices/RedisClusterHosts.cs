using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Sawt.Contracts.Workers;
using Sawt.Gateway;
using Sawt.Silo;

namespace Sawt.Bench.Voices;

/// <summary>
/// The production shape on loopback, hosted in the bench process (as the end-to-end Redis cluster fixture does):
/// silos with CPU workers and no gateway, and a standalone gateway, all finding each other through one Redis under
/// a fresh cluster id, each on free ports. Stopped gateway first, then the silos, on dispose.
/// </summary>
internal sealed class RedisClusterHosts : IAsyncDisposable
{
    private static readonly TimeSpan ReadyBound = TimeSpan.FromMinutes(3);

    private readonly List<WebApplication> _silos = [];
    private WebApplication? _gateway;

    private RedisClusterHosts()
    {
    }

    public Uri GatewayAddress { get; private set; } = null!;

    /// <summary>The standalone gateway's own Orleans client.</summary>
    public IClusterClient Client => _gateway!.Services.GetRequiredService<IClusterClient>();

    public Uri WebSocketUri => new UriBuilder(GatewayAddress) { Scheme = "ws", Path = "/v1/ws" }.Uri;

    /// <summary>Starts the silos and the gateway and waits until the registry lists a ready T3 and decoder worker on every silo.</summary>
    public static async Task<RedisClusterHosts> StartAsync(string redis, string bundle, int silos, int intraOpThreads, TextWriter log, CancellationToken cancellationToken)
    {
        var clusterId = "bench-voices-" + Guid.NewGuid().ToString("N")[..8];
        var hosts = new RedisClusterHosts();
        try
        {
            for (var i = 0; i < silos; i++)
            {
                var silo = SiloProgram.Build(
                [
                    "--urls", "http://127.0.0.1:0",
                    "--Sawt:Redis:ConnectionString", redis,
                    "--Sawt:Cluster:ClusterId", clusterId,
                    "--Sawt:Cluster:EmbeddedGateway", "false",
                    "--Sawt:Cluster:AdvertisedAddress", "127.0.0.1",
                    "--Sawt:Cluster:SiloPort", RedisServerProcess.FreePort().ToString(CultureInfo.InvariantCulture),
                    "--Sawt:Cluster:GatewayPort", RedisServerProcess.FreePort().ToString(CultureInfo.InvariantCulture),
                    "--Sawt:Workers:BundlePath", bundle,
                    "--Sawt:Workers:Devices:0", "cpu",
                    "--Sawt:Workers:IntraOpThreads", intraOpThreads.ToString(CultureInfo.InvariantCulture),
                    "--Logging:LogLevel:Default", "Warning",
                ]);
                await silo.StartAsync(cancellationToken).ConfigureAwait(false);
                hosts._silos.Add(silo);
                log.WriteLine($"[voices] silo {i + 1} of {silos} started");
            }

            hosts._gateway = GatewayProgram.Build(
            [
                "--urls", "http://127.0.0.1:0",
                "--Sawt:Redis:ConnectionString", redis,
                "--Sawt:Cluster:ClusterId", clusterId,
                "--Logging:LogLevel:Default", "Warning",
            ]);
            await hosts._gateway.StartAsync(cancellationToken).ConfigureAwait(false);
            hosts.GatewayAddress = new Uri(hosts._gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            await hosts.WaitForReadyWorkersAsync(silos, cancellationToken).ConfigureAwait(false);
            log.WriteLine($"[voices] gateway at {hosts.GatewayAddress}; ready workers on {silos} silos");
            return hosts;
        }
        catch
        {
            await hosts.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.StopAsync().ConfigureAwait(false);
            await _gateway.DisposeAsync().ConfigureAwait(false);
            _gateway = null;
        }

        for (var i = _silos.Count - 1; i >= 0; i--)
        {
            await _silos[i].StopAsync().ConfigureAwait(false);
            await _silos[i].DisposeAsync().ConfigureAwait(false);
        }

        _silos.Clear();
    }

    private async Task WaitForReadyWorkersAsync(int silos, CancellationToken cancellationToken)
    {
        var registry = Client.GetGrain<IWorkerRegistryGrain>(0);
        var deadline = DateTime.UtcNow + ReadyBound;
        while (true)
        {
            var workers = (await registry.List().ConfigureAwait(false)).Where(w => w.Ready).ToList();
            if (workers.Count(w => w.Kind == WorkerKind.T3) == silos && workers.Count(w => w.Kind == WorkerKind.Decoder) == silos)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Wanted ready workers on {silos} silos; the registry lists {string.Join(", ", workers.Select(w => $"{w.Kind} {w.WorkerKey}"))}.");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }
}
