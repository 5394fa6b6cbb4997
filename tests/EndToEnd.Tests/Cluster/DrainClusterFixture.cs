using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sawt.Contracts.Sessions;
using Sawt.Gateway.Tests.Infrastructure;
using Sawt.Inference.Synthetic;
using Sawt.Silo;
using Sawt.Tests.Shared;

namespace Sawt.EndToEnd.Tests.Cluster;

/// <summary>
/// Two silos and a standalone gateway over a real redis-server, for stopping a silo while it synthesises. Silo
/// <see cref="PatientSilo"/> drains for longer than any test runs (so whatever a test lets finish, finishes); silo
/// <see cref="HastySilo"/> drains for a moment (so whatever a test keeps open is ended by it). Session logs are kept to
/// tell which T3 worker served a session.
/// </summary>
public sealed class DrainClusterFixture : IAsyncLifetime
{
    public const int PatientSilo = 0;
    public const int HastySilo = 1;


    /// <summary>The gateway's probe of a quiet session stream (see <c>GatewayOptions.StreamProbeAfter</c>).</summary>
    public static readonly TimeSpan StreamProbeAfter = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a probed stream may stay silent before its context ends with <c>unavailable</c>: long, because this
    /// machine is shared and a stalled agent must not fail a healthy context (10 s did once, under a load of 30).
    /// </summary>
    public static readonly TimeSpan StreamProbeTimeout = TimeSpan.FromSeconds(30);

    private readonly string _bundle = Path.Combine(Path.GetTempPath(), "sawt-e2e-drain-" + Guid.NewGuid().ToString("N"));

    internal RedisServer Redis { get; private set; } = null!;

    internal RedisClusterHost Host { get; private set; } = null!;

    internal CapturedLogs SessionLogs { get; } = new();

    public async ValueTask InitializeAsync()
    {
        SyntheticBundleGenerator.Generate(_bundle, SyntheticBundleOptions.Tiny);
        Redis = await RedisServer.StartAsync();
        Host = await RedisClusterHost.StartAsync(
            Redis.ConnectionString,
            _bundle,
            silos: 2,
            configureSilo: builder =>
            {
                builder.Logging.AddProvider(SessionLogs);
                builder.Logging.AddFilter<CapturedLogs>("Sawt.Grains.Sessions", LogLevel.Debug);
            },
            // The tests hold contexts open without input while they arrange and stop silos: no input timeout cuts them first.
            siloArguments: index => index == PatientSilo
                ? ["--Sawt:Cluster:DrainTimeout", "00:05:00", "--shutdownTimeoutSeconds", "330", "--Sawt:Sessions:InputIdleTimeout", "00:10:00"] // as in k8s/: the host outwaits the drain
                : ["--Sawt:Cluster:DrainTimeout", "00:00:01", "--Sawt:Sessions:InputIdleTimeout", "00:10:00"],
            // The tests hold contexts open without traffic while a silo drains; the 30 s idle close would end them first
            // on a slow machine (it did once in CI). Arranging a case takes many contexts on one socket. A lost session
            // is found within StreamProbeAfter + StreamProbeTimeout.
            gatewayArguments:
            [
                "--Sawt:Gateway:IdleTimeout", "00:10:00",
                "--Sawt:Gateway:MaxContextsPerSocket", "64",
                "--Sawt:Gateway:StreamProbeAfter", StreamProbeAfter.ToString("c", CultureInfo.InvariantCulture),
                "--Sawt:Gateway:StreamProbeTimeout", StreamProbeTimeout.ToString("c", CultureInfo.InvariantCulture),
            ],
            // A restarted silo takes sessions again only once the gateway's client lists it as a gateway (1 min by default).
            configureGateway: builder => builder.Services.Configure<Orleans.Configuration.GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1)));
    }

    /// <summary>The silo endpoint of the T3 worker that served session <paramref name="sessionId"/> (from its start log).</summary>
    public string T3SiloOf(string sessionId)
    {
        var line = SessionStartLog.Find(SessionLogs, sessionId) ?? throw new InvalidOperationException($"No start logged for session {sessionId}.");
        return SessionStartLog.T3Silo(line);
    }

    /// <summary>The silo endpoints of the T3 and decoder workers session <paramref name="sessionId"/> started with (from its start log).</summary>
    public (string T3, string Decoder) WorkerSilosOf(Guid sessionId)
    {
        var line = SessionStartLog.Find(SessionLogs, sessionId.ToString()) ?? throw new InvalidOperationException($"No start logged for session {sessionId}.");
        return SessionStartLog.WorkerSilos(line);
    }

    /// <summary>The silo endpoint hosting session <paramref name="sessionId"/> now, or null when it is not active.</summary>
    public async Task<string?> SessionSiloAsync(string sessionId)
    {
        var session = Host.Client.GetGrain<ITtsSessionGrain>(Guid.Parse(sessionId));
        var address = await Host.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(session);
        return address?.Endpoint.ToString();
    }

    public ValueTask DisposeAsync() => FixtureTeardown.DisposeAsync(Host, Redis, _bundle);
}
