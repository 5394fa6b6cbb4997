using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Sawt.Contracts.Workers;
using Sawt.Gateway;

namespace Sawt.Silo;

/// <summary>
/// The production shape on loopback, in-process: silos with CPU workers and no gateway, and a standalone gateway,
/// all finding each other only through one Redis under a fresh cluster id, each on its own free ports. A silo can be
/// stopped and started again on the same ports. For end-to-end tests and benchmarks, as <see cref="EmbeddedClusterHost"/>
/// is for the embedded default.
/// </summary>
public sealed class RedisClusterHost : IAsyncDisposable
{
    private static readonly TimeSpan ReadyBound = TimeSpan.FromMinutes(2);

    private readonly string _redis;
    private readonly string _bundle;
    private readonly int _intraOpThreads;
    private readonly string _clusterId = "sawt-" + Guid.NewGuid().ToString("N")[..8];
    private readonly Action<WebApplicationBuilder>? _configureSilo;
    private readonly Func<int, IEnumerable<string>>? _siloArguments;
    private readonly (int Silo, int Gateway)[] _ports;
    private readonly WebApplication?[] _silos;
    private readonly List<SiloProcess> _processes = [];
    private WebApplication? _gateway;

    private RedisClusterHost(string redis, string bundle, int silos, int intraOpThreads, Action<WebApplicationBuilder>? configureSilo, Func<int, IEnumerable<string>>? siloArguments)
    {
        _siloArguments = siloArguments;
        _redis = redis;
        _bundle = bundle;
        _intraOpThreads = intraOpThreads;
        _configureSilo = configureSilo;
        _ports = [.. Enumerable.Range(0, silos).Select(_ => (LoopbackPorts.Free(), LoopbackPorts.Free()))];
        _silos = new WebApplication?[silos];
    }

    public int SiloCount => _silos.Length;

    /// <summary>The standalone gateway's HTTP address.</summary>
    public Uri GatewayAddress { get; private set; } = null!;

    /// <summary>The standalone gateway's own Orleans client.</summary>
    public IClusterClient Client => _gateway!.Services.GetRequiredService<IClusterClient>();

    /// <summary>The WebSocket address of a gateway path (default <c>/v1/ws</c>).</summary>
    public Uri WebSocketUri(string path = "/v1/ws") => new UriBuilder(GatewayAddress) { Scheme = "ws", Path = path }.Uri;

    /// <summary>The silo endpoint (as in worker keys) of silo <paramref name="index"/>.</summary>
    public string SiloEndpoint(int index) => $"127.0.0.1:{_ports[index].Silo.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Whether silo <paramref name="index"/> runs now.</summary>
    public bool IsSiloRunning(int index) => _silos[index] is not null;

    /// <summary>The services of silo <paramref name="index"/>, while it runs (tests look at what it holds).</summary>
    public IServiceProvider SiloServices(int index) =>
        (_silos[index] ?? throw new InvalidOperationException($"Silo {index} is not running.")).Services;

    /// <summary>The HTTP address (probes) of silo <paramref name="index"/>, while it runs.</summary>
    public Uri SiloHttpAddress(int index) =>
        new((_silos[index] ?? throw new InvalidOperationException($"Silo {index} is not running.")).Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>Starts the silos and the gateway and waits until every silo has a ready T3 and decoder worker.</summary>
    /// <param name="redis">Connection string of the Redis they share.</param>
    /// <param name="bundleDirectory">The bundle every silo's CPU worker loads.</param>
    /// <param name="silos">How many silos.</param>
    /// <param name="intraOpThreads">ONNX Runtime threads per session.</param>
    /// <param name="configureSilo">Changes to each silo's host builder (e.g. logging), restarted ones included.</param>
    /// <param name="siloArguments">More <c>--Key value</c> settings for silo N (e.g. its drain timeout), restarts included.</param>
    /// <param name="cancellationToken">Cancels start and the wait for ready workers.</param>
    /// <param name="gatewayArguments">More command-line settings for the gateway (e.g. <c>--Sawt:Auth:OperatorKeys:0</c>).</param>
    /// <param name="configureGateway">Changes to the gateway's host builder (e.g. its Orleans client's options).</param>
    public static async Task<RedisClusterHost> StartAsync(
        string redis,
        string bundleDirectory,
        int silos,
        int intraOpThreads = 1,
        Action<WebApplicationBuilder>? configureSilo = null,
        Func<int, IEnumerable<string>>? siloArguments = null,
        IReadOnlyList<string>? gatewayArguments = null,
        Action<WebApplicationBuilder>? configureGateway = null,
        CancellationToken cancellationToken = default)
    {
        var host = new RedisClusterHost(redis, bundleDirectory, silos, intraOpThreads, configureSilo, siloArguments);
        try
        {
            for (var i = 0; i < silos; i++)
            {
                await host.StartSiloAsync(i, cancellationToken).ConfigureAwait(false);
            }

            host._gateway = GatewayProgram.Build(
            [
                "--urls", "http://127.0.0.1:0",
                "--Sawt:Redis:ConnectionString", redis,
                "--Sawt:Cluster:ClusterId", host._clusterId,
                "--Logging:LogLevel:Default", "Warning",
                .. gatewayArguments ?? Array.Empty<string>(),
            ],
            configureGateway);
            await host._gateway.StartAsync(cancellationToken).ConfigureAwait(false);
            host.GatewayAddress = new Uri(host._gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            await host.WaitForReadyWorkersAsync(silos, cancellationToken).ConfigureAwait(false);
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts silo <paramref name="index"/> (again) on its ports.</summary>
    public async Task StartSiloAsync(int index, CancellationToken cancellationToken = default)
    {
        var silo = SiloProgram.Build(
        [
            .. SiloArguments(_ports[index].Silo, _ports[index].Gateway),
            .. _siloArguments?.Invoke(index) ?? [],
        ],
        _configureSilo);
        try
        {
            await silo.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await silo.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _silos[index] = silo;
    }

    /// <summary>
    /// Starts one more silo of this cluster as a process of its own (<c>dotnet Sawt.Silo.dll</c>, on fresh ports), so a
    /// test can kill it outright: no drain, no goodbye in the membership table, sockets cut. It counts in
    /// <see cref="WaitForReadyWorkersAsync"/> once up; disposing the host kills it too.
    /// </summary>
    public SiloProcess StartSiloProcess(IEnumerable<string>? arguments = null)
    {
        var (siloPort, gatewayPort) = (LoopbackPorts.Free(), LoopbackPorts.Free());
        var process = SiloProcess.Start(
            typeof(SiloProgram).Assembly.Location,
            [.. SiloArguments(siloPort, gatewayPort), .. arguments ?? []],
            $"127.0.0.1:{siloPort.ToString(CultureInfo.InvariantCulture)}");
        _processes.Add(process);
        return process;
    }

    /// <summary>
    /// Starts a standalone gateway of this cluster as a process of its own (<c>dotnet Sawt.Gateway.dll</c>, on a fresh
    /// port; its <see cref="SiloProcess.Endpoint"/> is its HTTP address), so a test can kill it outright. It serves once
    /// its <c>/readyz</c> answers; disposing the host kills it too.
    /// </summary>
    public SiloProcess StartGatewayProcess(IEnumerable<string>? arguments = null)
    {
        var address = $"http://127.0.0.1:{LoopbackPorts.FreeText()}";
        var process = SiloProcess.Start(
            typeof(GatewayProgram).Assembly.Location,
            [
                "--urls", address,
                "--Sawt:Redis:ConnectionString", _redis,
                "--Sawt:Cluster:ClusterId", _clusterId,
                "--Logging:LogLevel:Default", "Warning",
                .. arguments ?? [],
            ],
            address);
        _processes.Add(process);
        return process;
    }

    private string[] SiloArguments(int siloPort, int gatewayPort) =>
    [
        "--urls", "http://127.0.0.1:0",
        "--Sawt:Redis:ConnectionString", _redis,
        "--Sawt:Cluster:ClusterId", _clusterId,
        "--Sawt:Cluster:EmbeddedGateway", "false",
        "--Sawt:Cluster:AdvertisedAddress", "127.0.0.1",
        "--Sawt:Cluster:SiloPort", siloPort.ToString(CultureInfo.InvariantCulture),
        "--Sawt:Cluster:GatewayPort", gatewayPort.ToString(CultureInfo.InvariantCulture),
        "--Sawt:Workers:BundlePath", _bundle,
        "--Sawt:Workers:Devices:0", "cpu",
        "--Sawt:Workers:IntraOpThreads", _intraOpThreads.ToString(CultureInfo.InvariantCulture),
        "--Logging:LogLevel:Default", "Warning",
    ];

    /// <summary>Stops silo <paramref name="index"/> gracefully: it drains (see <c>Sawt:Cluster:DrainTimeout</c>), then leaves the cluster.</summary>
    public async Task StopSiloAsync(int index)
    {
        if (_silos[index] is { } silo)
        {
            // Still listed while it drains, so its probes can be read meanwhile.
            await silo.StopAsync().ConfigureAwait(false);
            _silos[index] = null;
            await silo.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Waits until the registry lists a ready T3 and decoder worker on exactly <paramref name="silos"/> silos.</summary>
    public async Task<IReadOnlyList<WorkerLoadReport>> WaitForReadyWorkersAsync(int silos, CancellationToken cancellationToken = default)
    {
        var registry = Client.GetGrain<IWorkerRegistryGrain>(0);
        var deadline = DateTime.UtcNow + ReadyBound;
        while (true)
        {
            var workers = (await registry.List().ConfigureAwait(false)).Where(w => w.Ready).ToList();
            if (workers.Count(w => w.Kind == WorkerKind.T3) == silos && workers.Count(w => w.Kind == WorkerKind.Decoder) == silos)
            {
                return workers;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Wanted ready workers on {silos} silos; the registry lists {string.Join(", ", workers.Select(w => $"{w.Kind} {w.WorkerKey}"))}.");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
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

        for (var i = _silos.Length - 1; i >= 0; i--)
        {
            await StopSiloAsync(i).ConfigureAwait(false);
        }

        foreach (var process in _processes)
        {
            process.Dispose();
        }
    }
}
