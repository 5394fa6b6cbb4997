using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sawt.Contracts.Workers;
using Sawt.Gateway.Tests.Infrastructure;
using Sawt.Inference.Synthetic;
using Sawt.Silo;
using Sawt.Tests.Shared;

namespace Sawt.EndToEnd.Tests.Cluster;

/// <summary>
/// Three silos over a real redis-server and a standalone gateway, for faults under load: silo <see cref="DrainedSilo"/>
/// drains for longer than any test runs (whatever it hosts may finish), and the gateway's slow-consumer limits are
/// small and named here so a client that stops reading reaches them with little audio. Each silo's session log is kept
/// apart, so a test can tell which silo hosted a session; the gateway's own log is kept too.
/// </summary>
public sealed class LoadFaultClusterFixture : IAsyncLifetime
{
    public const int SiloCount = 3;

    /// <summary>The silo the drain test stops: its drain timeout (5 min) outlasts the test, as in k8s/.</summary>
    public const int DrainedSilo = 2;

    /// <summary>Gateway send queue per socket (items; an audio item is its message and binary frame). Default 64.</summary>
    public const int SendQueueCapacity = 8;

    /// <summary>Gateway buffer of session events per context (the default).</summary>
    public const int SessionEventBuffer = 64;

    /// <summary>
    /// How long a context waits for room in its socket's send queue before the gateway gives up on the client (default
    /// 5 s): long enough here that a client pausing while others are served is still within it when it reads again.
    /// </summary>
    public static readonly TimeSpan SlowConsumerTimeout = TimeSpan.FromSeconds(90);

    /// <inheritdoc cref="DrainClusterFixture.StreamProbeAfter"/>
    public static readonly TimeSpan StreamProbeAfter = TimeSpan.FromSeconds(2);

    /// <inheritdoc cref="DrainClusterFixture.StreamProbeTimeout"/>
    public static readonly TimeSpan StreamProbeTimeout = TimeSpan.FromSeconds(30);

    private readonly string _bundle = Path.Combine(Path.GetTempPath(), "sawt-e2e-load-" + Guid.NewGuid().ToString("N"));

    /// <summary>Session logs by the endpoint of the silo that wrote them (a restarted silo keeps its endpoint and log).</summary>
    private readonly ConcurrentDictionary<string, CapturedLogs> _sessionLogs = new(StringComparer.Ordinal);

    internal RedisServer Redis { get; private set; } = null!;

    internal RedisClusterHost Host { get; private set; } = null!;

    /// <summary>The gateway's own log (Debug for Sawt.Gateway).</summary>
    internal CapturedLogs GatewayLogs { get; } = new();

    public async ValueTask InitializeAsync()
    {
        SyntheticBundleGenerator.Generate(_bundle, SyntheticBundleOptions.Tiny);
        Redis = await RedisServer.StartAsync();

        // A test holds a context open without input while it drains a silo or pauses a client: no input timeout cuts it first.
        string[] sessions = ["--Sawt:Sessions:InputIdleTimeout", "00:10:00"];
        Host = await RedisClusterHost.StartAsync(
            Redis.ConnectionString,
            _bundle,
            SiloCount,
            configureSilo: builder =>
            {
                var endpoint = $"127.0.0.1:{builder.Configuration["Sawt:Cluster:SiloPort"]}";
                builder.Logging.AddProvider(_sessionLogs.GetOrAdd(endpoint, _ => new CapturedLogs()));
                builder.Logging.AddFilter<CapturedLogs>("Sawt.Grains", LogLevel.Debug);
                builder.Logging.AddFilter<CapturedLogs>("Orleans.Runtime", LogLevel.Information);
            },
            siloArguments: index => index == DrainedSilo
                ? ["--Sawt:Cluster:DrainTimeout", "00:05:00", "--shutdownTimeoutSeconds", "330", .. sessions] // the host outwaits the drain
                : sessions,
            gatewayArguments:
            [
                // Load sockets stay open between phases; many contexts pass through each.
                "--Sawt:Gateway:IdleTimeout", "00:10:00",
                "--Sawt:Gateway:MaxContextsPerSocket", "64",
                "--Sawt:Gateway:SendQueueCapacity", SendQueueCapacity.ToString(CultureInfo.InvariantCulture),
                "--Sawt:Gateway:SessionEventBuffer", SessionEventBuffer.ToString(CultureInfo.InvariantCulture),
                "--Sawt:Gateway:SlowConsumerTimeout", SlowConsumerTimeout.ToString("c", CultureInfo.InvariantCulture),
                "--Sawt:Gateway:StreamProbeAfter", StreamProbeAfter.ToString("c", CultureInfo.InvariantCulture),
                "--Sawt:Gateway:StreamProbeTimeout", StreamProbeTimeout.ToString("c", CultureInfo.InvariantCulture),
            ],
            configureGateway: builder =>
            {
                builder.Logging.AddProvider(GatewayLogs);
                builder.Logging.AddFilter<CapturedLogs>("Sawt.Gateway", LogLevel.Debug);

                // A restarted silo takes sessions again only once the gateway's client lists it as a gateway (1 min by default).
                builder.Services.Configure<Orleans.Configuration.GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
            });
    }

    /// <summary>Where session <paramref name="sessionId"/> ran: its silo, T3 worker silo and decoder worker silo (null when no silo logged its start).</summary>
    internal SessionPlacementSeen? PlacementOf(Guid sessionId)
    {
        var id = sessionId.ToString();
        foreach (var (silo, logs) in _sessionLogs)
        {
            if (SessionStartLog.Find(logs, id) is { } line)
            {
                var (t3, decoder) = SessionStartLog.WorkerSilos(line);
                return new SessionPlacementSeen(silo, t3, decoder);
            }
        }

        return null;
    }

    /// <summary>
    /// Every captured log line (the gateway's, then each silo's) that names session <paramref name="sessionId"/> or
    /// context <paramref name="contextId"/>, oldest first per log: what a failure message needs to say where a context went.
    /// </summary>
    internal string Trace(Guid? sessionId, string contextId)
    {
        var session = sessionId?.ToString();
        var grainKey = sessionId?.ToString("N"); // Orleans names the session's grain by it
        bool Names(LogEntry e) =>
            e.Message.Contains(contextId, StringComparison.Ordinal)
            || (session is not null && e.Message.Contains(session, StringComparison.Ordinal))
            || (grainKey is not null && e.Message.Contains(grainKey, StringComparison.OrdinalIgnoreCase))
            || (e.Level >= LogLevel.Warning && !e.Category.StartsWith("Orleans.Streams", StringComparison.Ordinal) && e.EventId.Id != 2034);
        static string Line(LogEntry e) => $"{e.Level} {e.EventId.Id} {e.Category}: {e.Message}{(e.Exception is null ? string.Empty : " | " + e.Exception.GetType().Name + ": " + e.Exception.Message)}";
        var lines = GatewayLogs.Entries.Where(Names).Select(e => "gateway " + Line(e))
            .Concat(_sessionLogs.SelectMany(kv => kv.Value.Entries.Where(Names).Select(e => kv.Key + " " + Line(e))));
        return string.Join("\n", lines.Take(120));
    }

    /// <summary>Polls every worker on a running silo until none holds an active or queued sequence; fails after <paramref name="bound"/>.</summary>
    public Task WaitForIdleWorkersAsync(TimeSpan bound, string why, CancellationToken cancellationToken)
    {
        var running = Enumerable.Range(0, SiloCount).Where(Host.IsSiloRunning).Select(Host.SiloEndpoint).ToHashSet(StringComparer.Ordinal);
        return IdleWorkers.WaitAsync(Host.Client, running.Contains, bound, why, cancellationToken);
    }

    public ValueTask DisposeAsync() => FixtureTeardown.DisposeAsync(Host, Redis, _bundle);
}
