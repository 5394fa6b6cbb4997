using System.Net;
using Sawt.Contracts.Voices;

namespace Sawt.EndToEnd.Tests.Cluster;

/// <summary>
/// Three silos and a standalone gateway that find each other only through a real Redis: one cluster, whose sessions
/// spread over every silo's workers, which takes a stopped silo back when it starts again, and whose voices are
/// computed once and then spoken on every silo, even after every silo has restarted.
/// </summary>
[Trait("Category", "Cluster")]
public sealed partial class RedisClusterTests(RedisClusterFixture cluster) : IClassFixture<RedisClusterFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IReadOnlyList<string> AllSilos => [.. Enumerable.Range(0, RedisClusterFixture.SiloCount).Select(cluster.SiloEndpoint).Order()];

    [Fact]
    public async Task ThreeSilosAndAGateway_OneClusterThroughRedis_SessionsReachEverySilo()
    {
        var workers = await cluster.WaitForReadyWorkersAsync(RedisClusterFixture.SiloCount, Token);
        Assert.Equal(AllSilos, workers.Select(w => w.HostSilo).Distinct().Order().ToList());

        var served = await cluster.SpeakUntilServedByAsync(AllSilos, VoiceIds.Default, Token);
        Assert.Equal(AllSilos, served.Order().ToList());
    }

    [Fact]
    public async Task SiloStoppedThenStarted_ClusterServesMeanwhile_SiloRejoinsAndTakesWork()
    {
        await cluster.WaitForReadyWorkersAsync(RedisClusterFixture.SiloCount, Token);
        var restarted = cluster.SiloEndpoint(2);
        await cluster.StopSiloAsync(2);
        await cluster.WaitForReadyWorkersAsync(RedisClusterFixture.SiloCount - 1, Token);

        // Without it, every session is served by the others.
        var meanwhile = await cluster.SpeakAsync(3, VoiceIds.Default, Token);
        Assert.DoesNotContain(restarted, meanwhile);

        await cluster.StartSiloAsync(2);
        var workers = await cluster.WaitForReadyWorkersAsync(RedisClusterFixture.SiloCount, Token);
        Assert.Contains(workers, w => w.HostSilo == restarted);
        Assert.Contains(restarted, await cluster.SpeakUntilServedByAsync([restarted], VoiceIds.Default, Token));
    }

    [Fact]
    public async Task VoiceUploadedThroughTheGateway_ComputedOnce_SpokenOnEverySilo_AndAfterEverySiloRestarted()
    {
        await cluster.WaitForReadyWorkersAsync(RedisClusterFixture.SiloCount, Token);
        var before = (await cluster.VoiceStatsAsync()).Sum(s => s.Encodings);
        using var http = new HttpClient { BaseAddress = cluster.GatewayAddress };
        var upload = await http.PutAsync("/v1/voices/shared-voice", new ByteArrayContent(BadInput.ReferenceWavs.ValidClip()), Token);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);

        // Computed once at the upload; then every silo speaks it (from its memory, the speaker grain's, or Redis).
        Assert.Equal(AllSilos, (await cluster.SpeakUntilServedByAsync(AllSilos, "shared-voice", Token)).Order().ToList());
        var stats = await cluster.VoiceStatsAsync();
        Assert.Equal(RedisClusterFixture.SiloCount, stats.Count);
        Assert.Equal(before + 1, stats.Sum(s => s.Encodings));

        // Every silo restarted (new processes' counters start at zero): the voice is still there and is not computed again.
        for (var i = 0; i < RedisClusterFixture.SiloCount; i++)
        {
            await cluster.StopSiloAsync(i);
            await cluster.StartSiloAsync(i);
        }

        await cluster.WaitForReadyWorkersAsync(RedisClusterFixture.SiloCount, Token);
        Assert.Equal(AllSilos, (await cluster.SpeakUntilServedByAsync(AllSilos, "shared-voice", Token)).Order().ToList());
        var after = await cluster.VoiceStatsAsync();
        Assert.Equal(0, after.Sum(s => s.Encodings));
        Assert.True(after.Sum(s => s.RedisHits) >= 1, "the restarted cluster read the voice from Redis");
    }
}
