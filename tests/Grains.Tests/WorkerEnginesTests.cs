using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sawt.Grains.Hosting;
using Sawt.Inference;

namespace Sawt.Grains.Tests;

/// <summary>
/// A silo's engines: one per configured device, each its own (its own ONNX sessions), and ready only when every
/// device is. Real engines on the fixture's tiny bundle, on CPU.
/// </summary>
[Trait("Category", "Unit")]
public sealed class WorkerEnginesTests(ClusterFixture fixture)
{
    private static readonly TimeSpan LoadBound = TimeSpan.FromSeconds(60);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoCpuDevices_TwoEnginesUnderTheirNames()
    {
        await using var engines = Create("cpu:0", "cpu:1");
        await engines.StartAsync(Token);

        await engines.Ready.WaitAsync(LoadBound, Token);

        Assert.Equal(["cpu:0", "cpu:1"], engines.Devices);
        Assert.Equal(2, engines.ConfiguredDeviceCount);
        Assert.NotSame(engines.Get("cpu:0"), engines.Get("cpu:1"));
        await engines.StopAsync(Token);
    }

    [Fact]
    public async Task OneDeviceFailsToLoad_NeverReady()
    {
        // No machine has a 100th GPU, and a forced cuda:N that is absent fails its load.
        await using var engines = Create("cpu:0", "cuda:99");
        await engines.StartAsync(Token);

        // The load's own error, not the time bound: readiness faults with the device's failure.
        var error = await Assert.ThrowsAsync<InferenceException>(() => engines.Ready.WaitAsync(LoadBound, Token));
        Assert.Contains("99", error.Message, StringComparison.Ordinal);

        Assert.False(engines.IsReady);
        await engines.StopAsync(Token);
    }

    private WorkerEngines Create(params string[] devices) => new(
        Options.Create(new WorkerOptions { BundlePath = fixture.BundleDirectory, Devices = [.. devices], IntraOpThreads = 1 }),
        NullLoggerFactory.Instance);
}
