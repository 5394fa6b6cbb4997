using System.Globalization;
using System.Text.RegularExpressions;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sawt.Contracts.Voices;
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
public sealed partial class RedisClusterFixture : IAsyncLifetime
{
    public const int SiloCount = 3;

    /// <summary>Sessions tried before concluding that some silo never gets work (each takes well under a second).</summary>
    private const int MaxSessions = 30;

    /// <summary>The session grain's Debug line when a session starts, which names its T3 worker.</summary>
    private const int SessionStartedEvent = 2030;
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

    /// <summary>Synthesises one sentence after another until sessions have used every silo wanted (bounded).</summary>
    public async Task<HashSet<string>> SpeakUntilServedByAsync(IReadOnlyCollection<string> wanted, string voice, CancellationToken cancellationToken)
    {
        var served = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < MaxSessions && !wanted.All(served.Contains); i++)
        {
            served.UnionWith(await SpeakAsync(1, voice, cancellationToken));
        }

        return served;
    }

    /// <summary>Runs <paramref name="count"/> syntheses through the gateway, each to done; returns the silos whose T3 workers served them.</summary>
    public async Task<HashSet<string>> SpeakAsync(int count, string voice, CancellationToken cancellationToken)
    {
        var logged = SessionLogs.WithEventId(SessionStartedEvent).Count;
        await using var client = await WsTestClient.ConnectAsync(WebSocketUri(), cancellationToken);
        for (var i = 0; i < count; i++)
        {
            await client.SendAsync(new { type = "synthesize", context_id = $"c{i}", text = "Spread me over the cluster.", language = "en", voice }, cancellationToken);
            var end = await client.ReceiveUntilAsync(m => m.ContextId == $"c{i}" && m.Type is "done" or "error" or "cancelled", cancellationToken);
            Assert.True(end.Type == "done", end.Json.ToJsonString());
        }

        var started = SessionLogs.WithEventId(SessionStartedEvent).Skip(logged).ToList();
        Assert.Equal(count, started.Count);
        return [.. started.Select(e => T3WorkerSilo().Match(e.Message).Groups["silo"].Value)];
    }

    /// <summary>Every live silo's voice store counters, once per silo (through its T3 worker, as another process reads them).</summary>
    public async Task<IReadOnlyList<VoiceStoreStats>> VoiceStatsAsync()
    {
        var workers = (await Client.GetGrain<IWorkerRegistryGrain>(0).List()).Where(w => w.Kind == WorkerKind.T3 && w.Ready);
        var stats = await Task.WhenAll(workers.Select(w => Client.GetGrain<IT3WorkerGrain>(w.WorkerKey).GetVoiceStoreStats()));
        return [.. stats.DistinctBy(s => s.Silo)];
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

    [GeneratedRegex(@"T3 worker (?<silo>[^/\s]+)/\S+$")]
    private static partial Regex T3WorkerSilo();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
