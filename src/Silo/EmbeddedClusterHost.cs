using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Sawt.Contracts.Workers;
using Sawt.Grains.Hosting;

namespace Sawt.Silo;

/// <summary>
/// The embedded default (<see cref="SiloProgram.Build"/>: one silo, CPU workers, the gateway on Kestrel) started
/// in-process on free loopback ports with a given bundle, ready once the workers of every configured device report
/// ready (one <c>cpu</c> device unless <c>extraArguments</c> lists others, e.g. <c>--Sawt:Workers:Devices:1 cpu:1</c>). For end-to-end
/// tests, benchmarks and applications that embed the whole cluster.
/// </summary>
public sealed class EmbeddedClusterHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmbeddedClusterHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The gateway's HTTP address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    public IClusterClient Client => _app.Services.GetRequiredService<IClusterClient>();

    /// <summary>The WebSocket address of a gateway path (default <c>/v1/ws</c>).</summary>
    public Uri WebSocketUri(string path = "/v1/ws") => new UriBuilder(BaseAddress) { Scheme = "ws", Path = path }.Uri;

    /// <param name="bundleDirectory">The bundle the CPU workers load.</param>
    /// <param name="intraOpThreads">ONNX Runtime threads per session.</param>
    /// <param name="extraArguments">More <c>--Key value</c> settings (e.g. <c>--Sawt:Streams:PollWait</c>).</param>
    /// <param name="configure">Changes to the host builder (e.g. logging).</param>
    /// <param name="cancellationToken">Cancels start and the wait for ready workers.</param>
    public static async Task<EmbeddedClusterHost> StartAsync(
        string bundleDirectory,
        int intraOpThreads = 1,
        IEnumerable<string>? extraArguments = null,
        Action<WebApplicationBuilder>? configure = null,
        CancellationToken cancellationToken = default)
    {
        string[] arguments =
        [
            "--urls", "http://127.0.0.1:0",
            "--Sawt:Cluster:SiloPort", LoopbackPorts.FreeText(),
            "--Sawt:Cluster:GatewayPort", LoopbackPorts.FreeText(),
            "--Sawt:Workers:BundlePath", bundleDirectory,
            "--Sawt:Workers:Devices:0", "cpu",
            "--Sawt:Workers:IntraOpThreads", intraOpThreads.ToString(CultureInfo.InvariantCulture),
            "--Logging:LogLevel:Default", "Warning",
            .. extraArguments ?? [],
        ];
        var app = SiloProgram.Build(arguments, configure);
        var started = false;
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            started = true;
        }
        finally
        {
            if (!started)
            {
                // A failed start (e.g. an invalid device list) must not leave the silo's services behind.
                await app.DisposeAsync().ConfigureAwait(false);
            }
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var host = new EmbeddedClusterHost(app, new Uri(address));

        // Ready once a T3 and a decoder worker report ready for every configured device.
        var expected = 2 * app.Services.GetRequiredService<WorkerEngines>().ConfiguredDeviceCount;
        var registry = host.Client.GetGrain<IWorkerRegistryGrain>(0);
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        while ((await registry.List().ConfigureAwait(false)).Count(w => w.Ready) < expected)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                await host.DisposeAsync().ConfigureAwait(false);
                throw new TimeoutException("The embedded cluster's workers were not ready within 2 minutes.");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
