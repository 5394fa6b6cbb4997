using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Sawt.Silo;

namespace Sawt.EndToEnd.Tests;

/// <summary>
/// A silo without the embedded gateway (as in k8s/) answers its own probes: alive at once, ready only once its
/// engines are loaded and warm.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class SiloProbeTests(EmbeddedClusterFixture shared)
{
    private static readonly string[] WithoutGateway = ["--Sawt:Cluster:EmbeddedGateway", "false"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SiloWithoutGateway_WithWarmEngines_IsAliveAndReady_AndServesNoApi()
    {
        await using var host = await EmbeddedClusterHost.StartAsync(shared.BundleDirectory, extraArguments: WithoutGateway, cancellationToken: Token);
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz", Token)).StatusCode);
        var ready = await http.GetAsync("/readyz", Token);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"ready\"", await ready.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/v1/voices", Token)).StatusCode);
    }

    [Fact]
    public async Task SiloWithoutGateway_WhoseEnginesCannotLoad_IsAliveButNeverReady()
    {
        // A bundle folder that does not exist: loading fails, so readiness is false before and after the failure.
        var missing = Path.Combine(Path.GetTempPath(), "sawt-no-bundle-" + Guid.NewGuid().ToString("N"));
        var app = SiloProgram.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Sawt:Cluster:SiloPort", LoopbackPorts.FreeText(),
            "--Sawt:Cluster:GatewayPort", LoopbackPorts.FreeText(),
            "--Sawt:Workers:BundlePath", missing,
            "--Sawt:Workers:Devices:0", "cpu",
            "--Logging:LogLevel:Default", "None",
            .. WithoutGateway,
        ]);
        await using (app)
        {
            await app.StartAsync(Token);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };

            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz", Token)).StatusCode);
            var ready = await http.GetAsync("/readyz", Token);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.DoesNotContain("\"ready\"", await ready.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
            await app.StopAsync(Token);
        }
    }
}
