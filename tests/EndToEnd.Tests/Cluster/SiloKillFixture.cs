using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Sawt.Gateway.Tests.Infrastructure;
using Sawt.Inference.Synthetic;
using Sawt.Silo;
using Sawt.Tests.Shared;

namespace Sawt.EndToEnd.Tests.Cluster;

/// <summary>
/// Three silos over a real redis-server and a standalone gateway, for killing one: two in this process (their
/// membership probes tuned to find a dead silo within seconds) and <see cref="Victim"/>, a silo process of its own that
/// a test kills outright (no drain, no goodbye to the membership table). Session logs of the two are kept to tell which
/// T3 worker served a session.
/// </summary>
public sealed class SiloKillFixture : IAsyncLifetime
{
    /// <summary>Each surviving silo probes the others this often and waits this long for an answer.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Missed probes before a silo votes another dead (two votes declare it: both survivors).</summary>
    public const int MissedProbes = 3;

    /// <inheritdoc cref="DrainClusterFixture.StreamProbeAfter"/>
    public static readonly TimeSpan StreamProbeAfter = TimeSpan.FromSeconds(2);

    /// <inheritdoc cref="DrainClusterFixture.StreamProbeTimeout"/>
    public static readonly TimeSpan StreamProbeTimeout = TimeSpan.FromSeconds(30);


    private readonly string _bundle = Path.Combine(Path.GetTempPath(), "sawt-e2e-kill-" + Guid.NewGuid().ToString("N"));

    internal RedisServer Redis { get; private set; } = null!;

    internal RedisClusterHost Host { get; private set; } = null!;

    internal SiloProcess Victim { get; private set; } = null!;

    internal CapturedLogs SessionLogs { get; } = new();

    public async ValueTask InitializeAsync()
    {
        SyntheticBundleGenerator.Generate(_bundle, SyntheticBundleOptions.Tiny);
        Redis = await RedisServer.StartAsync();
        string[] sessions = ["--Sawt:Sessions:InputIdleTimeout", "00:10:00"]; // contexts wait for input while a test arranges them
        Host = await RedisClusterHost.StartAsync(
            Redis.ConnectionString,
            _bundle,
            silos: 2,
            configureSilo: builder =>
            {
                builder.Logging.AddProvider(SessionLogs);
                builder.Logging.AddFilter<CapturedLogs>("Sawt.Grains.Sessions", LogLevel.Debug);
                builder.Services.Configure<ClusterMembershipOptions>(o =>
                {
                    o.ProbeTimeout = ProbeTimeout;
                    o.NumMissedProbesLimit = MissedProbes;
                    o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                });
            },
            siloArguments: _ => sessions,
            gatewayArguments:
            [
                "--Sawt:Gateway:IdleTimeout", "00:10:00",
                "--Sawt:Gateway:MaxContextsPerSocket", "64",
                "--Sawt:Gateway:StreamProbeAfter", StreamProbeAfter.ToString("c", CultureInfo.InvariantCulture),
                "--Sawt:Gateway:StreamProbeTimeout", StreamProbeTimeout.ToString("c", CultureInfo.InvariantCulture),
            ],
            // The victim joins after the gateway: its client must list it as a gateway before sessions land there.
            configureGateway: builder => builder.Services.Configure<Orleans.Configuration.GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1)));
        Victim = Host.StartSiloProcess(sessions);
        await Host.WaitForReadyWorkersAsync(3);
    }

    /// <summary>
    /// The silo endpoints of the T3 and decoder workers session <paramref name="sessionId"/> started with (from its start
    /// log); null when its silo's log is not kept here (the victim's).
    /// </summary>
    public (string T3, string Decoder)? WorkerSilosOf(Guid sessionId) =>
        SessionStartLog.Find(SessionLogs, sessionId.ToString()) is { } line ? SessionStartLog.WorkerSilos(line) : null;

    /// <summary>Waits until the cluster's membership no longer lists <paramref name="silo"/> as active (fails after <paramref name="bound"/>).</summary>
    public async Task WaitUntilDeclaredDeadAsync(string silo, TimeSpan bound, CancellationToken cancellationToken)
    {
        var management = Host.Client.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow + bound;
        while ((await management.GetHosts(onlyActive: true)).Keys.Any(s => s.Endpoint.ToString() == silo))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the cluster did not declare the killed silo dead within {bound}");
            await Task.Delay(100, cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => FixtureTeardown.DisposeAsync(Host, Redis, _bundle);
}
