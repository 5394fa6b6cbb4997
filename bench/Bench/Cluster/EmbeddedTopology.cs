using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Sawt.Silo;

namespace Sawt.Bench.Cluster;

/// <summary>
/// The embedded default started in the bench process (<see cref="EmbeddedClusterHost"/>); the hop rows subscribe
/// through the host's own cluster client, co-hosted like its gateway, and the idle CPU is the bench process's.
/// </summary>
internal sealed class EmbeddedTopology : IRunningTopology
{
    private readonly EmbeddedClusterHost _host;

    private EmbeddedTopology(EmbeddedClusterHost host) => _host = host;

    public ClusterTopology Topology => ClusterTopology.Embedded;

    public Uri WebSocketUri => _host.WebSocketUri();

    public IClusterClient Client => _host.Client;

    public IReadOnlyList<MeasuredProcess> Processes { get; } = [new("silo + gateway (bench process)", CurrentProcessorTime)];

    public static async Task<EmbeddedTopology> StartAsync(string bundleDirectory, int intraOpThreads, CancellationToken cancellationToken)
    {
        var host = await EmbeddedClusterHost.StartAsync(
                bundleDirectory,
                intraOpThreads,
                // Cluster logs (warnings and above) go to stderr, so stdout stays the report.
                configure: builder =>
                {
                    builder.Logging.ClearProviders();
                    builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
                },
                cancellationToken: cancellationToken).ConfigureAwait(false);
        return new EmbeddedTopology(host);
    }

    /// <summary>Nothing to release: the client is the host's own.</summary>
    public ValueTask ReleaseClientAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static TimeSpan CurrentProcessorTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
