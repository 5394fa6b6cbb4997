using Orleans.TestingHost;

[assembly: AssemblyFixture(typeof(Sawt.Streaming.Tests.LongPollClusterFixture))]

namespace Sawt.Streaming.Tests;

/// <summary>A real two-silo in-process cluster and a client, all with the long-poll provider; shared by the cluster tests.</summary>
public sealed class LongPollClusterFixture : IAsyncLifetime
{
    public const string Provider = "test-streams";

    public LongPollClusterFixture()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage("PubSubStore");
            silo.AddLongPollStreams(Provider, Options);
        });
        builder.ConfigureClient(client => client.AddLongPollStreams(Provider, Options));
        Cluster = builder.Build();
    }

    /// <summary>A short poll wait so a test that waits for the next read waits little.</summary>
    public static LongPollStreamOptions Options { get; } = new() { QueueCount = 4, PollWait = TimeSpan.FromMilliseconds(200) };

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    public async ValueTask InitializeAsync() => await Cluster.DeployAsync();

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
