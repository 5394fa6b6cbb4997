using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Sawt.Contracts;
using Sawt.Contracts.Workers;
using Sawt.Grains.Hosting;
using Sawt.Inference.Synthetic;
using Sawt.Streaming;

[assembly: AssemblyFixture(typeof(Sawt.Grains.Tests.ClusterFixture))]

namespace Sawt.Grains.Tests;

/// <summary>
/// A real two-silo Orleans cluster (in-process) sharing one generated tiny bundle; each silo runs a CPU T3 and a
/// CPU decoder worker. Deployed once per test run.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const int SiloCount = 2;

    /// <summary>The sessions' audio limit: low, so the limit test stays cheap; every other test speaks less.</summary>
    public const int MaxAudioSeconds = 30;

    public ClusterFixture()
    {
        BundleDirectory = Path.Combine(Path.GetTempPath(), "sawt-grains-" + Guid.NewGuid().ToString("N"));
        SyntheticBundleGenerator.Generate(BundleDirectory, SyntheticBundleOptions.Tiny);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sawt:Workers:BundlePath"] = BundleDirectory,
            ["Sawt:Workers:Devices:0"] = "cpu",
            ["Sawt:Workers:IntraOpThreads"] = "1",

            // Short, so the abandoned-session test ends soon; no test leaves a session without input for this long.
            ["Sawt:Sessions:InputIdleTimeout"] = "00:00:03",
            ["Sawt:Sessions:MaxAudioSeconds"] = MaxAudioSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var builder = new InProcessTestClusterBuilder(SiloCount);
        builder.ConfigureSilo((_, silo) => silo.AddSawt(configuration));
        builder.ConfigureClient(client => client.AddLongPollStreams(StreamNames.Provider));
        Cluster = builder.Build();
    }

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    public string BundleDirectory { get; }

    public async ValueTask InitializeAsync()
    {
        await Cluster.DeployAsync();
        var registry = Client.GetGrain<IWorkerRegistryGrain>(0);
        for (var i = 0; i < 600; i++)
        {
            var workers = await registry.List();
            if (workers.Count(w => w.Ready) == 2 * SiloCount)
            {
                return;
            }

            await Task.Delay(50);
        }

        var engines = Cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<WorkerEngines>().Ready).ToList();
        var listed = await registry.List();
        throw new TimeoutException(
            $"Workers did not become ready within 30 s: engines {string.Join(", ", engines.Select(e => e.Status + (e.Exception is null ? string.Empty : ": " + e.Exception.GetBaseException().Message)))}; registry lists {string.Join(", ", listed.Select(w => w.WorkerKey + ":" + w.Kind + ":" + w.Ready + "@" + w.HostSilo))}; silos {string.Join(", ", Cluster.Silos.Select(s => s.SiloAddress.Endpoint))}.");
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
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
