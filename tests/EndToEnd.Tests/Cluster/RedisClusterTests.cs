using System.Text.RegularExpressions;

namespace Sawt.EndToEnd.Tests.Cluster;

/// <summary>
/// Three silos and a standalone gateway that find each other only through a real Redis: one cluster, whose sessions
/// spread over every silo's workers, and which takes a stopped silo back when it starts again.
/// </summary>
[Trait("Category", "Cluster")]
public sealed partial class RedisClusterTests(RedisClusterFixture cluster) : IClassFixture<RedisClusterFixture>
{
    /// <summary>Sessions tried before concluding that some silo never gets work (each takes well under a second).</summary>
    private const int MaxSessions = 30;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThreeSilosAndAGateway_OneClusterThroughRedis_SessionsReachEverySilo()
    {
        var workers = await cluster.WaitForReadyWorkersAsync(RedisClusterFixture.SiloCount, Token);
        var expected = Enumerable.Range(0, RedisClusterFixture.SiloCount).Select(cluster.SiloEndpoint).Order().ToList();
        Assert.Equal(expected, workers.Select(w => w.HostSilo).Distinct().Order().ToList());

        var served = await SpeakUntilServedByAsync(expected, Token);
        Assert.Equal(expected, served.Order().ToList());
    }

    [Fact]
    public async Task SiloStoppedThenStarted_ClusterServesMeanwhile_SiloRejoinsAndTakesWork()
    {
        await cluster.WaitForReadyWorkersAsync(RedisClusterFixture.SiloCount, Token);
        var restarted = cluster.SiloEndpoint(2);
        await cluster.StopSiloAsync(2);
        await cluster.WaitForReadyWorkersAsync(RedisClusterFixture.SiloCount - 1, Token);

        // Without it, every session is served by the others.
        var meanwhile = await SpeakAsync(3, Token);
        Assert.DoesNotContain(restarted, meanwhile);

        await cluster.StartSiloAsync(2);
        var workers = await cluster.WaitForReadyWorkersAsync(RedisClusterFixture.SiloCount, Token);
        Assert.Contains(workers, w => w.HostSilo == restarted);
        Assert.Contains(restarted, await SpeakUntilServedByAsync([restarted], Token));
    }

    /// <summary>Synthesises one sentence after another until sessions have used every silo wanted (bounded).</summary>
    private async Task<HashSet<string>> SpeakUntilServedByAsync(IReadOnlyCollection<string> wanted, CancellationToken cancellationToken)
    {
        var served = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < MaxSessions && !wanted.All(served.Contains); i++)
        {
            served.UnionWith(await SpeakAsync(1, cancellationToken));
        }

        return served;
    }

    /// <summary>Runs <paramref name="count"/> syntheses through the gateway, each to done; returns the silos whose T3 workers served them.</summary>
    private async Task<HashSet<string>> SpeakAsync(int count, CancellationToken cancellationToken)
    {
        var logged = cluster.SessionLogs.WithEventId(SessionStartedEvent).Count;
        await using var client = await WsTestClient.ConnectAsync(cluster.WebSocketUri(), cancellationToken);
        for (var i = 0; i < count; i++)
        {
            await client.SendAsync(new { type = "synthesize", context_id = $"c{i}", text = "Spread me over the cluster.", language = "en" }, cancellationToken);
            var end = await client.ReceiveUntilAsync(m => m.ContextId == $"c{i}" && m.Type is "done" or "error" or "cancelled", cancellationToken);
            Assert.True(end.Type == "done", end.Json.ToJsonString());
        }

        var started = cluster.SessionLogs.WithEventId(SessionStartedEvent).Skip(logged).ToList();
        Assert.Equal(count, started.Count);
        return [.. started.Select(e => T3WorkerSilo().Match(e.Message).Groups["silo"].Value)];
    }

    /// <summary>The session grain's Debug line when a session starts, which names its T3 worker.</summary>
    private const int SessionStartedEvent = 2030;

    [GeneratedRegex(@"T3 worker (?<silo>[^/\s]+)/\S+$")]
    private static partial Regex T3WorkerSilo();
}
