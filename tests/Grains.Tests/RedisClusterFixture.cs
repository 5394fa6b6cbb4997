using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using Sawt.Contracts;
using Sawt.Contracts.Workers;
using Sawt.Grains.Hosting;
using Sawt.Grains.Voices;
using Sawt.Inference.Synthetic;
using Sawt.Streaming;
using Sawt.Tests.Shared;
using StackExchange.Redis;

namespace Sawt.Grains.Tests;

/// <summary>
/// A two-silo in-process cluster configured as production is for voices: a real <c>redis-server</c> holds the
/// <c>voices</c> grain storage and the voice store (per-run key prefix). Owned by one test class, so its counters
/// move only with that class's (sequential) tests. Membership stays in-process: the store is under test, not clustering.
/// </summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    /// <summary>
    /// Longer than the 1 s default: a loaded CI machine must not turn a slow read into an "outage" and a recomputation
    /// the tests would count. A stopped server is still noticed at once (the connection drops; calls fail fast).
    /// </summary>
    public static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(5);

    private readonly string _bundleDirectory = Path.Combine(Path.GetTempPath(), "sawt-grains-redis-" + Guid.NewGuid().ToString("N"));
    private InProcessTestCluster? _cluster;
    private IConnectionMultiplexer? _direct;

    public InProcessTestCluster Cluster => _cluster!;

    /// <summary>The silos' Sawt log entries.</summary>
    public CapturedLogs Logs { get; } = new();

    public IClusterClient Client => Cluster.Client;

    internal RedisServer Redis { get; private set; } = null!;

    public string KeyPrefix { get; } = "sawt-test-" + Guid.NewGuid().ToString("N")[..8] + ":voice:";

    /// <summary>The test's own connection to the server, for writing bad entries and reading what the silos wrote.</summary>
    public IDatabase Database => _direct!.GetDatabase();

    /// <summary>Every live silo's voice counters.</summary>
    public IReadOnlyList<VoiceInstruments> Instruments => [.. Cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<VoiceInstruments>())];

    public long Sum(Func<VoiceInstruments, long> counter) => Instruments.Sum(counter);

    /// <summary>Empties every silo's memory layer, as a restart would, so the next lookups go to Redis.</summary>
    public void ClearMemory()
    {
        foreach (var silo in Cluster.Silos)
        {
            silo.ServiceProvider.GetRequiredService<VoiceMemoryCache>().Clear();
        }
    }

    public async ValueTask InitializeAsync()
    {
        Redis = await RedisServer.StartAsync(TestContext.Current.CancellationToken);
        _direct = await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString);
        SyntheticBundleGenerator.Generate(_bundleDirectory, SyntheticBundleOptions.Tiny);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sawt:Workers:BundlePath"] = _bundleDirectory,
            ["Sawt:Workers:Devices:0"] = "cpu",
            ["Sawt:Workers:IntraOpThreads"] = "1",
            ["Sawt:Redis:ConnectionString"] = Redis.ConnectionString,
            ["Sawt:Voices:Store:KeyPrefix"] = KeyPrefix,
            ["Sawt:Voices:Store:OperationTimeout"] = StoreTimeout.ToString(),
        }).Build();
        var builder = new InProcessTestClusterBuilder(ClusterFixture.SiloCount);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddSawt(configuration);
            silo.Services.AddSingleton<ILoggerProvider>(Logs);
        });
        builder.ConfigureClient(client => client.AddLongPollStreams(StreamNames.Provider));
        _cluster = builder.Build();
        await Cluster.DeployAsync();
        await WaitForWorkersAsync();
    }

    /// <summary>Waits (bounded) until every silo's T3 and decoder workers are registered and ready.</summary>
    public async Task WaitForWorkersAsync()
    {
        var registry = Client.GetGrain<IWorkerRegistryGrain>(0);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(60));
        var silos = Cluster.Silos.Select(s => s.SiloAddress.Endpoint.ToString()).ToHashSet();
        while (true)
        {
            try
            {
                var workers = await registry.List().WaitAsync(bound.Token);
                if (workers.Count(w => w.Ready && silos.Contains(w.HostSilo)) == 2 * silos.Count)
                {
                    return;
                }
            }
            catch (OrleansException)
            {
                // Just after a restart the client may still try a stopped silo's gateway; it drops it and moves on.
            }

            await Task.Delay(50, bound.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }

        if (_direct is not null)
        {
            await _direct.DisposeAsync();
        }

        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }

        try
        {
            Directory.Delete(_bundleDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Temp leftovers are harmless; a folder never generated (the fixture skipped) is not there.
        }
    }
}
