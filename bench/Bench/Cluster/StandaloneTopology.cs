using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sawt.Contracts;
using Sawt.Silo;
using Sawt.Streaming;

namespace Sawt.Bench.Cluster;

/// <summary>
/// The production shape on loopback: a silo process (workers, sessions, no gateway) and a standalone gateway process
/// beside it, both from the bench's output folder, ready once the gateway's <c>/readyz</c> answers 200. The hop rows
/// subscribe through the bench's own Orleans client, the path a standalone gateway's subscription takes.
/// </summary>
internal sealed class StandaloneTopology : IRunningTopology
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);

    private readonly ChildProcess _silo;
    private readonly ChildProcess _gateway;
    private IHost? _client;

    private StandaloneTopology(ChildProcess silo, ChildProcess gateway, Uri baseAddress, IHost client)
    {
        _silo = silo;
        _gateway = gateway;
        _client = client;
        WebSocketUri = new UriBuilder(baseAddress) { Scheme = "ws", Path = "/v1/ws" }.Uri;
        Processes = [new("silo", () => silo.ProcessorTime), new("gateway", () => gateway.ProcessorTime)];
    }

    public ClusterTopology Topology => ClusterTopology.Standalone;

    public Uri WebSocketUri { get; }

    public IClusterClient Client => (_client ?? throw new InvalidOperationException("The bench's cluster client was released.")).Services.GetRequiredService<IClusterClient>();

    public IReadOnlyList<MeasuredProcess> Processes { get; }

    public static async Task<StandaloneTopology> StartAsync(string bundleDirectory, int intraOpThreads, TextWriter log, CancellationToken cancellationToken)
    {
        var siloGatewayPort = LoopbackPorts.FreeText();
        var gatewayAddress = new Uri($"http://127.0.0.1:{LoopbackPorts.FreeText()}/");
        ChildProcess? silo = null;
        ChildProcess? gateway = null;
        IHost? client = null;
        try
        {
            silo = ChildProcess.Start(
                "silo",
                "Sawt.Silo.dll",
                [
                    "--urls", $"http://127.0.0.1:{LoopbackPorts.FreeText()}",
                    "--Sawt:Cluster:EmbeddedGateway", "false",
                    "--Sawt:Cluster:SiloPort", LoopbackPorts.FreeText(),
                    "--Sawt:Cluster:GatewayPort", siloGatewayPort,
                    "--Sawt:Workers:BundlePath", bundleDirectory,
                    "--Sawt:Workers:Devices:0", "cpu",
                    "--Sawt:Workers:IntraOpThreads", intraOpThreads.ToString(CultureInfo.InvariantCulture),
                    "--Logging:LogLevel:Default", "Warning",
                ],
                log);
            gateway = ChildProcess.Start(
                "gateway",
                "Sawt.Gateway.dll",
                [
                    "--urls", gatewayAddress.GetLeftPart(UriPartial.Authority),
                    "--Sawt:Cluster:GatewayPort", siloGatewayPort,
                    "--Logging:LogLevel:Default", "Warning",
                ],
                log);
            await WaitReadyAsync(gatewayAddress, silo, gateway, log, cancellationToken).ConfigureAwait(false);

            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.UseOrleansClient(c =>
            {
                c.UseLocalhostClustering(int.Parse(siloGatewayPort, CultureInfo.InvariantCulture));
                c.AddLongPollStreams(StreamNames.Provider);
            });
            client = builder.Build();
            await client.StartAsync(cancellationToken).ConfigureAwait(false);
            return new StandaloneTopology(silo, gateway, gatewayAddress, client);
        }
        catch
        {
            // Nothing is returned to dispose it, so the children go here (failed start, cancellation).
            client?.Dispose();
            if (gateway is not null)
            {
                await gateway.DisposeAsync().ConfigureAwait(false);
            }

            if (silo is not null)
            {
                await silo.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    public async ValueTask ReleaseClientAsync()
    {
        if (_client is null)
        {
            return;
        }

        var client = _client;
        _client = null;
        try
        {
            // Bounded: a client whose silo is gone may wait on its connection.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await client.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ReleaseClientAsync().ConfigureAwait(false);
        }
        finally
        {
            await _gateway.DisposeAsync().ConfigureAwait(false);
            await _silo.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Polls the gateway's <c>/readyz</c> until 200 (workers loaded and warmed, client connected), failing early if a child exits.</summary>
    private static async Task WaitReadyAsync(Uri gatewayAddress, ChildProcess silo, ChildProcess gateway, TextWriter log, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = gatewayAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        var lastAnswer = "no answer yet";
        while (true)
        {
            if (silo.HasExited || gateway.HasExited)
            {
                throw new InvalidOperationException($"The standalone topology did not start: a child exited before the gateway was ready.\n{silo.Tail()}\n{gateway.Tail()}");
            }

            if (clock.Elapsed > ReadyTimeout)
            {
                throw new TimeoutException(
                    $"The standalone gateway's /readyz did not answer 200 within {ReadyTimeout.TotalSeconds:0} s (last: {lastAnswer}).\n{silo.Tail()}\n{gateway.Tail()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("readyz", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    log.WriteLine($"[standalone] gateway ready after {clock.Elapsed.TotalSeconds:F1} s");
                    return;
                }

                lastAnswer = $"{(int)response.StatusCode} {response.ReasonPhrase}";
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Not listening yet, or the readiness check itself timed out: a starting process, try again.
                lastAnswer = ex.Message;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }
    }
}
