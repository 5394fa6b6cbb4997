using System.Net;
using Sawt.Contracts.Voices;
using StackExchange.Redis;

namespace Sawt.EndToEnd.Tests.Cluster;

/// <summary>
/// Redis goes away in the middle of a run of syntheses on the three-silo cluster and comes back (with its data, as a
/// persistent Redis restarted by its operator does): every synthesis completes, and the voice store is used again.
/// Its own cluster, because losing Redis is not something the other cluster tests should share.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class RedisOutageTests(RedisClusterFixture cluster) : IClassFixture<RedisClusterFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RedisStoppedDuringSyntheses_EveryOneCompletes_RedisBack_StoreUsedAgain()
    {
        await cluster.WaitForReadyWorkersAsync(RedisClusterFixture.SiloCount, Token);
        using var http = new HttpClient { BaseAddress = cluster.GatewayAddress };
        Assert.Equal(HttpStatusCode.Created, (await http.PutAsync("/v1/voices/before-outage", new ByteArrayContent(BadInput.ReferenceWavs.ValidClip()), Token)).StatusCode);
        await cluster.SpeakAsync(2, "before-outage", Token);

        await cluster.Redis.ShutdownAsync();
        try
        {
            // Every silo, with the voice and with the default: each synthesis runs to done (SpeakAsync asserts it).
            Assert.False(cluster.Redis.IsRunning);
            var silos = Enumerable.Range(0, RedisClusterFixture.SiloCount).Select(cluster.SiloEndpoint).ToList();
            Assert.Equal(silos.Order(), (await cluster.SpeakUntilServedByAsync(silos, "before-outage", Token)).Order());
            Assert.Equal(silos.Order(), (await cluster.SpeakUntilServedByAsync(silos, VoiceIds.Default, Token)).Order());
        }
        finally
        {
            await cluster.Redis.StartAgainAsync(Token);
        }

        // Back: a new voice is stored in Redis again, and used.
        var uploaded = await UploadUntilStoredAsync(http);
        Assert.Equal(HttpStatusCode.Created, uploaded);
        await cluster.SpeakAsync(1, "after-outage", Token);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString);
        var keys = redis.GetServer(redis.GetEndPoints()[0]).Keys(pattern: "sawt:voice:*").ToList();
        Assert.True(keys.Count >= 2, $"the store holds the voices from before and after the outage ({keys.Count} entries)");
    }

    /// <summary>
    /// The processes reconnect to Redis in the background; until they have, an upload is refused as retryable (the
    /// voice cannot be kept). Retry within a bound, as a client would.
    /// </summary>
    private async Task<HttpStatusCode> UploadUntilStoredAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var response = await http.PutAsync("/v1/voices/after-outage", new ByteArrayContent(BadInput.ReferenceWavs.StereoFloatClip()), Token);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable && response.StatusCode != HttpStatusCode.InternalServerError || DateTime.UtcNow > deadline)
            {
                return response.StatusCode;
            }

            await Task.Delay(250, Token);
        }
    }
}
