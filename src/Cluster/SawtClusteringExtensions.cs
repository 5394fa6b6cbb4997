using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Sawt.Cluster;

/// <summary>
/// Membership and shared state for silos and clients: Redis when <see cref="SawtRedisOptions"/> names a server, over
/// the process's one <see cref="SawtRedis"/> connection; otherwise localhost clustering and in-memory storage, exactly
/// the embedded default.
/// </summary>
public static class SawtClusteringExtensions
{
    /// <summary>Whether this configuration runs the cluster over Redis.</summary>
    public static bool UsesRedis(IConfiguration configuration) => SawtRedisOptions.ConnectionStringFrom(configuration) is not null;

    /// <summary>Joins the silo to its cluster: Redis membership, or localhost clustering without Redis.</summary>
    public static ISiloBuilder UseSawtClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var cluster = SawtClusterOptions.From(configuration);
        var redis = SawtRedisOptions.ConnectionStringFrom(configuration);
        if (redis is null)
        {
            return silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort);
        }

        AddSawtRedis(silo.Services, redis);
        silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
        silo.Configure<EndpointOptions>(o =>
        {
            o.SiloPort = cluster.SiloPort;
            o.GatewayPort = cluster.GatewayPort;
            if (cluster.AdvertisedIPAddress is { } address)
            {
                o.AdvertisedIPAddress = address;
            }
        });
        silo.UseRedisClustering(o => o.ConfigurationOptions = SawtRedis.Parse(redis));
        ShareConnection(silo.Services);
        return silo;
    }

    /// <summary>Lets a client (a standalone gateway) find the silos: through Redis, or a localhost silo's gateway port.</summary>
    public static IClientBuilder UseSawtClustering(this IClientBuilder client, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(client);
        var cluster = SawtClusterOptions.From(configuration);
        var redis = SawtRedisOptions.ConnectionStringFrom(configuration);
        if (redis is null)
        {
            return client.UseLocalhostClustering(cluster.GatewayPort);
        }

        AddSawtRedis(client.Services, redis);
        client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
        client.UseRedisClustering(o => o.ConfigurationOptions = SawtRedis.Parse(redis));
        ShareConnection(client.Services);
        return client;
    }

    /// <summary>
    /// Adds a grain storage: Redis (over the shared connection) when the cluster runs on Redis, so state outlives
    /// every silo; in memory otherwise.
    /// </summary>
    public static ISiloBuilder AddSawtGrainStorage(this ISiloBuilder silo, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var redis = SawtRedisOptions.ConnectionStringFrom(configuration);
        if (redis is null)
        {
            return silo.AddMemoryGrainStorage(name);
        }

        AddSawtRedis(silo.Services, redis);
        return silo.AddRedisGrainStorage(name, options => options.Configure<SawtRedis>((o, shared) =>
        {
            o.ConfigurationOptions = shared.Configuration;
            o.DeleteStateOnClear = true; // A deleted voice leaves no key behind.
            o.CreateMultiplexer = async _ => (await shared.GetConnectionAsync().ConfigureAwait(false), IsShared: true);
        }));
    }

    private static void AddSawtRedis(IServiceCollection services, string connectionString) =>
        services.TryAddSingleton(sp => new SawtRedis(connectionString, sp.GetRequiredService<ILogger<SawtRedis>>()));

    private static void ShareConnection(IServiceCollection services) =>
        services.AddOptions<RedisClusteringOptions>().Configure<SawtRedis>((o, shared) =>
            o.CreateMultiplexer = async _ => (await shared.GetConnectionAsync().ConfigureAwait(false), IsShared: true));
}
