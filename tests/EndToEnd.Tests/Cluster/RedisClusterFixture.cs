using Microsoft.Extensions.Logging;
using Sawt.Contracts.Voices;
using Sawt.Contracts.Workers;
using Sawt.Gateway.Tests.Infrastructure;
using Sawt.Inference.Synthetic;
using Sawt.Silo;
using Sawt.Tests.Shared;

namespace Sawt.EndToEnd.Tests.Cluster;

/// <summary>
/// The production shape on one machine: a real redis-server, three silos (CPU workers, no gateway) that find each
/// other through it, and a standalone gateway that finds them through it too (<see cref="RedisClusterHost"/>). Each
/// silo's session log (Debug) is captured, so tests can see which workers served a session.
/// </summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    public const int SiloCount = 3;

    /// <summary>Sessions tried before concluding that some silo never gets work (each takes well under a second).</summary>
    private const int MaxSessions = 30;


    private readonly string _bundle = Path.Combine(Path.GetTempPath(), "sawt-e2e-redis-" + Guid.NewGuid().ToString("N"));

    internal RedisServer Redis { get; private set; } = null!;

    internal RedisClusterHost Host { get; private set; } = null!;

    /// <summary>Session log entries of every silo started so far (restarted ones included).</summary>
    internal CapturedLogs SessionLogs { get; } = new();

    public Uri GatewayAddress => Host.GatewayAddress;

    public string SiloEndpoint(int index) => Host.SiloEndpoint(index);

    public Task StartSiloAsync(int index) => Host.StartSiloAsync(index);

    public Task StopSiloAsync(int index) => Host.StopSiloAsync(index);

    public Task<IReadOnlyList<WorkerLoadReport>> WaitForReadyWorkersAsync(int silos, CancellationToken cancellationToken) =>
        Host.WaitForReadyWorkersAsync(silos, cancellationToken);

    /// <summary>TtsSessionGrain's "Session {SessionId} failed" (with its exception).</summary>
    private const int SessionFailedEvent = 2031;

    public async ValueTask InitializeAsync()
    {
        SyntheticBundleGenerator.Generate(_bundle, SyntheticBundleOptions.Tiny);
        Redis = await RedisServer.StartAsync();
        Host = await RedisClusterHost.StartAsync(Redis.ConnectionString, _bundle, SiloCount, configureSilo: builder =>
        {
            builder.Logging.AddProvider(SessionLogs);
            builder.Logging.AddFilter<CapturedLogs>("Sawt.Grains.Sessions", LogLevel.Debug);
        });
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
        var logged = SessionLogs.WithEventId(SessionStartLog.EventId).Count;
        await using var client = await WsTestClient.ConnectAsync(Host.WebSocketUri(), cancellationToken);
        for (var i = 0; i < count; i++)
        {
            await client.SendAsync(new { type = "synthesize", context_id = $"c{i}", text = "Spread me over the cluster.", language = "en", voice }, cancellationToken);
            var end = await client.ReceiveUntilAsync(m => m.ContextId == $"c{i}" && m.Type is "done" or "error" or "cancelled", cancellationToken);
            Assert.True(end.Type == "done", $"{end.Json.ToJsonString()}; session failures logged: {string.Join(" // ", SessionLogs.WithEventId(SessionFailedEvent).Select(e => e.Message))}");
        }

        var started = SessionLogs.WithEventId(SessionStartLog.EventId).Skip(logged).ToList();
        Assert.Equal(count, started.Count);
        return [.. started.Select(SessionStartLog.T3Silo)];
    }

    /// <summary>Every live silo's voice store counters, once per silo (through its T3 worker, as another process reads them).</summary>
    public async Task<IReadOnlyList<VoiceStoreStats>> VoiceStatsAsync()
    {
        var workers = (await Host.Client.GetGrain<IWorkerRegistryGrain>(0).List()).Where(w => w.Kind == WorkerKind.T3 && w.Ready);
        var stats = await Task.WhenAll(workers.Select(w => Host.Client.GetGrain<IT3WorkerGrain>(w.WorkerKey).GetVoiceStoreStats()));
        return [.. stats.DistinctBy(s => s.Silo)];
    }

    public ValueTask DisposeAsync() => FixtureTeardown.DisposeAsync(Host, Redis, _bundle);
}
