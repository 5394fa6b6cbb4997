using System.Net;
using Microsoft.Extensions.Options;
using Sawt.Contracts.Workers;
using Sawt.Silo;

namespace Sawt.EndToEnd.Tests;

/// <summary>
/// One embedded silo with two CPU devices (<c>cpu:0</c>, <c>cpu:1</c>): a T3 and a decoder worker per device, each on
/// its own engine, and concurrent sessions spread over both. Proven from the workers' own counters, not from timing.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class SeveralDevicesTests(EmbeddedClusterFixture shared)
{
    private const int Sessions = 4;
    private static readonly string[] Devices = ["cpu:0", "cpu:1"];
    private static readonly string[] TwoCpuDevices = ["--Sawt:Workers:Devices:0", "cpu:0", "--Sawt:Workers:Devices:1", "cpu:1"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoCpuDevices_WorkersPerDevice_ConcurrentSessionsUseBoth()
    {
        await using var host = await EmbeddedClusterHost.StartAsync(shared.BundleDirectory, extraArguments: TwoCpuDevices, cancellationToken: Token);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz", Token)).StatusCode);

        // The registry lists a ready T3 and a ready decoder worker for each device, all on this one silo.
        var workers = await host.Client.GetGrain<IWorkerRegistryGrain>(0).List().WaitAsync(TimeSpan.FromSeconds(30), Token);
        var silo = Assert.Single(workers.Select(w => w.HostSilo).Distinct());
        string[] keys = [.. Devices.Select(d => WorkerKeys.Create(silo, d))];
        Assert.Equal(keys, workers.Where(w => w.Kind == WorkerKind.T3 && w.Ready).Select(w => w.WorkerKey).Order(StringComparer.Ordinal));
        Assert.Equal(keys, workers.Where(w => w.Kind == WorkerKind.Decoder && w.Ready).Select(w => w.WorkerKey).Order(StringComparer.Ordinal));

        // Several sessions at once, through the gateway as clients send them.
        await Task.WhenAll(Enumerable.Range(0, Sessions).Select(i => SpeakAsync(host, $"Session number {i} speaks.")))
            .WaitAsync(TimeSpan.FromSeconds(120), Token);

        // Each worker's own count of accepted jobs (one sentence per session, so one generation each; decode calls per
        // chunk): both devices' T3 and decoder workers took sessions.
        var t3 = await Task.WhenAll(keys.Select(k => host.Client.GetGrain<IT3WorkerGrain>(k).Activate()));
        var decoders = await Task.WhenAll(keys.Select(k => host.Client.GetGrain<IDecoderWorkerGrain>(k).Activate()));
        TestContext.Current.TestOutputHelper?.WriteLine($"served: {string.Join(", ", t3.Concat(decoders).Select(w => $"{w.Kind} {w.WorkerKey}={w.Served}"))}");
        Assert.Equal(Sessions, t3.Sum(w => w.Served));
        Assert.All(t3, w => Assert.True(w.Served >= 1, $"{w.WorkerKey} generated for no session (T3 served: {string.Join(", ", t3.Select(x => x.WorkerKey + "=" + x.Served))})"));
        Assert.All(decoders, w => Assert.True(w.Served >= 1, $"{w.WorkerKey} decoded nothing (decoders served: {string.Join(", ", decoders.Select(x => x.WorkerKey + "=" + x.Served))})"));
    }

    [Theory]
    [InlineData("cpu", "cpu:0", "cpu and cpu:0 name the same device")]
    [InlineData("auto", "cpu:1", "'auto' must be the only entry")]
    [InlineData("cpu:0", "gpu:1", "'gpu:1' is not a device")]
    public async Task InvalidDeviceList_StartFailsWithAClearMessage(string first, string second, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => EmbeddedClusterHost.StartAsync(
            shared.BundleDirectory,
            extraArguments: ["--Sawt:Workers:Devices:0", first, "--Sawt:Workers:Devices:1", second],
            cancellationToken: Token).WaitAsync(TimeSpan.FromSeconds(60), Token));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static async Task SpeakAsync(EmbeddedClusterHost host, string text)
    {
        await using var client = await WsTestClient.ConnectAsync(host.WebSocketUri(), Token);
        await client.SendAsync(new { type = "synthesize", context_id = "devices", text, language = "en", voice = "default" }, Token);
        var end = await client.ReceiveUntilAsync(m => m.Type is "done" or "error" or "cancelled", Token);
        Assert.True(end.Type == "done", end.Json.ToJsonString());
    }
}
