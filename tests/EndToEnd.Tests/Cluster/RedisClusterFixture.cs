using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sawt.Contracts.Workers;
using Sawt.Gateway;
using Sawt.Gateway.Tests.Infrastructure;
using Sawt.Inference.Synthetic;
using Sawt.Silo;
using Sawt.Tests.Shared;

namespace Sawt.EndToEnd.Tests.Cluster;

/// <summary>
/// The production shape on one machine: a real redis-server, three silos (CPU workers, no gateway) that find each
/// other through it, and a standalone gateway that finds them through it too; every process a real host on loopback
/// ports. Each silo's session log (Debug) is captured, so tests can see which workers served a session.
/// </summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    public const int SiloCount = 3;
    private static readonly TimeSpan ReadyBound = TimeSpan.FromMinutes(2);

    private readonly string _clusterId = "e2e-" + Guid.NewGuid().ToString("N")[..8];
    private readonly (int Silo, int Gateway)[] _ports = [.. Enumerable.Range(0, SiloCount).Select(_ => (FreePort(), FreePort()))];
    private readonly WebApplication?[] _silos = new WebApplication?[SiloCount];
    private WebApplication? _gateway;

    private readonly string _bundle = Path.Combine(Path.GetTempPath(), "sawt-e2e-redis-" + Guid.NewGuid().ToString("N"));

    internal RedisServer Redis { get; private set; } = null!;

    /// <summary>Session log entries of every silo started so far (restarted ones included).</summary>
    internal CapturedLogs SessionLogs { get; } = new();

    public Uri GatewayAddress { get; private set; } = null!;

    public IClusterClient Client => _gateway!.Services.GetRequiredService<IClusterClient>();

    public Uri WebSocketUri(string path = "/v1/ws") => new UriBuilder(GatewayAddress) { Scheme = "ws", Path = path }.Uri;

    /// <summary>The silo endpoint (as in worker keys) of silo <paramref name="index"/>.</summary>
    public string SiloEndpoint(int index) => $"127.0.0.1:{_ports[index].Silo.ToString(CultureInfo.InvariantCulture)}";

    public async ValueTask InitializeAsync()
    {
        SyntheticBundleGenerator.Generate(_bundle, SyntheticBundleOptions.Tiny);
        Redis = await RedisServer.StartAsync();
        for (var i = 0; i < SiloCount; i++)
        {
            await StartSiloAsync(i);
        }

        _gateway = GatewayProgram.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Sawt:Redis:ConnectionString", Redis.ConnectionString,
            "--Sawt:Cluster:ClusterId", _clusterId,
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await _gateway.StartAsync();
        GatewayAddress = new Uri(_gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        await WaitForReadyWorkersAsync(SiloCount, CancellationToken.None);
    }

    /// <summary>Starts silo <paramref name="index"/> (again) on its ports.</summary>
    public async Task StartSiloAsync(int index)
    {
        var silo = SiloProgram.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Sawt:Redis:ConnectionString", Redis.ConnectionString,
            "--Sawt:Cluster:ClusterId", _clusterId,
            "--Sawt:Cluster:EmbeddedGateway", "false",
            "--Sawt:Cluster:AdvertisedAddress", "127.0.0.1",
            "--Sawt:Cluster:SiloPort", _ports[index].Silo.ToString(CultureInfo.InvariantCulture),
            "--Sawt:Cluster:GatewayPort", _ports[index].Gateway.ToString(CultureInfo.InvariantCulture),
            "--Sawt:Workers:BundlePath", _bundle,
            "--Sawt:Workers:Devices:0", "cpu",
            "--Sawt:Workers:IntraOpThreads", "1",
            "--Logging:LogLevel:Default", "Warning",
        ],
        builder =>
        {
            builder.Logging.AddProvider(SessionLogs);
            builder.Logging.AddFilter<CapturedLogs>("Sawt.Grains.Sessions", LogLevel.Debug);
        });
        await silo.StartAsync();
        _silos[index] = silo;
    }

    /// <summary>Stops silo <paramref name="index"/> gracefully (it leaves the cluster).</summary>
    public async Task StopSiloAsync(int index)
    {
        if (_silos[index] is { } silo)
        {
            _silos[index] = null;
            await silo.StopAsync();
            await silo.DisposeAsync();
        }
    }

    /// <summary>Waits until the registry lists a ready T3 and decoder worker on exactly <paramref name="silos"/> silos.</summary>
    public async Task<IReadOnlyList<WorkerLoadReport>> WaitForReadyWorkersAsync(int silos, CancellationToken cancellationToken)
    {
        var registry = Client.GetGrain<IWorkerRegistryGrain>(0);
        var deadline = DateTime.UtcNow + ReadyBound;
        while (true)
        {
            var workers = (await registry.List()).Where(w => w.Ready).ToList();
            if (workers.Count(w => w.Kind == WorkerKind.T3) == silos && workers.Count(w => w.Kind == WorkerKind.Decoder) == silos)
            {
                return workers;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Wanted ready workers on {silos} silos; the registry lists {string.Join(", ", workers.Select(w => $"{w.Kind} {w.WorkerKey}"))}.");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.StopAsync();
            await _gateway.DisposeAsync();
        }

        for (var i = SiloCount - 1; i >= 0; i--)
        {
            await StopSiloAsync(i);
        }

        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }

        try
        {
            Directory.Delete(_bundle, recursive: true);
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
