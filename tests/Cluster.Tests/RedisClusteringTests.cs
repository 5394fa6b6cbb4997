using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sawt.Tests.Shared;
using StackExchange.Redis;

namespace Sawt.Cluster.Tests;

/// <summary>Silos and a client over a real redis-server: membership, grain storage, one connection per process.</summary>
[Trait("Category", "Cluster")]
public sealed class RedisClusteringTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoSilosAndAClient_FindEachOtherThroughRedis()
    {
        await using var redis = await RedisServer.StartAsync(Token);
        var clusterId = NewClusterId();
        using var first = await StartSiloAsync(redis, clusterId);
        using var second = await StartSiloAsync(redis, clusterId);
        using var client = await StartClientAsync(redis, clusterId);

        var management = client.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await management.GetHosts(onlyActive: true, Token)).Count < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the two silos never both became active members");
            await Task.Delay(100, Token);
        }

        // The client, which only knows Redis, reaches grains; each silo sees the other as an active member.
        Assert.Null(await client.Services.GetRequiredService<IClusterClient>().GetGrain<INoteGrain>("reached").Read());
        foreach (var silo in new[] { first, second })
        {
            var hosts = await silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true, Token);
            Assert.Equal(2, hosts.Count);
        }
    }

    [Fact]
    public async Task GrainStorage_OutlivesTheSilo()
    {
        await using var redis = await RedisServer.StartAsync(Token);
        var clusterId = NewClusterId();
        using (var silo = await StartSiloAsync(redis, clusterId))
        {
            await silo.Services.GetRequiredService<IGrainFactory>().GetGrain<INoteGrain>("kept").Write("remember me");
            await silo.StopAsync(Token);
        }

        using var again = await StartSiloAsync(redis, clusterId);
        Assert.Equal("remember me", await again.Services.GetRequiredService<IGrainFactory>().GetGrain<INoteGrain>("kept").Read());
    }

    [Fact]
    public async Task Membership_AndStorage_ShareOneConnection()
    {
        await using var redis = await RedisServer.StartAsync(Token);
        using var silo = await StartSiloAsync(redis, NewClusterId());
        await silo.Services.GetRequiredService<IGrainFactory>().GetGrain<INoteGrain>("shared").Write("x");

        // One multiplexer holds an interactive and a subscription connection; a second multiplexer would double it.
        await using var probe = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",name=sawt-test-probe");
        var clients = (string)(await probe.GetDatabase().ExecuteAsync("CLIENT", "LIST"))!;
        var others = clients.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(line => !line.Contains("name=sawt-test-probe", StringComparison.Ordinal));
        Assert.True(others is > 0 and <= 2, $"the silo holds {others} Redis connections:\n{clients}");
        Assert.Same(await silo.Services.GetRequiredService<SawtRedis>().GetConnectionAsync(), await silo.Services.GetRequiredService<SawtRedis>().GetConnectionAsync());
    }

    private static string NewClusterId() => "test-" + Guid.NewGuid().ToString("N")[..8];

    private static async Task<IHost> StartSiloAsync(RedisServer redis, string clusterId)
    {
        var configuration = Configuration(redis, clusterId, siloPort: FreePort(), gatewayPort: FreePort());
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo.UseSawtClustering(configuration).AddSawtGrainStorage(NoteGrain.Storage, configuration));
        var host = builder.Build();
        await host.StartAsync(Token);
        return host;
    }

    private static async Task<IHost> StartClientAsync(RedisServer redis, string clusterId)
    {
        var configuration = Configuration(redis, clusterId, siloPort: 0, gatewayPort: 0);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client.UseSawtClustering(configuration));
        var host = builder.Build();
        await host.StartAsync(Token);
        return host;
    }

    private static IConfiguration Configuration(RedisServer redis, string clusterId, int siloPort, int gatewayPort) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redis.ConnectionString,
            ["Sawt:Cluster:ClusterId"] = clusterId,
            ["Sawt:Cluster:AdvertisedAddress"] = "127.0.0.1",
            ["Sawt:Cluster:SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Sawt:Cluster:GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
        }).Build();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A grain with one persisted string, to see storage.</summary>
[Alias("sawt.tests.INoteGrain")]
public interface INoteGrain : IGrainWithStringKey
{
    [Alias("Write")]
    Task Write(string note);

    [Alias("Read")]
    Task<string?> Read();

}

internal sealed class NoteGrain([PersistentState("note", NoteGrain.Storage)] IPersistentState<NoteGrain.Note> state) : Grain, INoteGrain
{
    public const string Storage = "notes";

    public async Task Write(string note)
    {
        state.State = new Note { Text = note };
        await state.WriteStateAsync();
    }

    public Task<string?> Read() => Task.FromResult(state.State.Text);

    [GenerateSerializer, Alias("sawt.tests.note")]
    internal sealed class Note
    {
        [Id(0)] public string? Text { get; init; }
    }
}
