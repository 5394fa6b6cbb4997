using Sawt.Contracts.Sessions;
using Sawt.Contracts.Voices;
using Sawt.Contracts.Workers;

namespace Sawt.Grains.Tests;

/// <summary>The decoder worker's variant facts and the quality tier, on the shared cluster (v1 tiny bundle: one variant).</summary>
[Trait("Category", "Cluster")]
public sealed class DecoderWorkerTests(ClusterFixture fixture)
{
    /// <summary>The v1 bundle's only decoder: the plain file, 10 flow-matching steps.</summary>
    private const string V1Decoder = "fp32 (cfm-10)";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Registry_DecoderWorkers_ReportTheVariantTheyServe()
    {
        var decoders = (await fixture.Client.GetGrain<IWorkerRegistryGrain>(0).List()).Where(w => w.Kind == WorkerKind.Decoder).ToList();
        Assert.Equal(ClusterFixture.SiloCount, decoders.Count);
        Assert.All(decoders, w => Assert.Equal([V1Decoder], w.DecoderVariants ?? []));

        var report = await fixture.Client.GetGrain<IDecoderWorkerGrain>(decoders[0].WorkerKey).Activate();
        Assert.Equal([V1Decoder], report.DecoderVariants ?? []);
    }

    [Fact]
    public async Task Registry_T3Workers_ReportNoDecoderVariants()
    {
        var t3 = (await fixture.Client.GetGrain<IWorkerRegistryGrain>(0).List()).Where(w => w.Kind == WorkerKind.T3);
        Assert.All(t3, w => Assert.Null(w.DecoderVariants));
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("balanced")]
    [InlineData("best")]
    [InlineData(null)]
    public async Task Decode_EachTier_DecodesWithTheLoadedVariant(string? quality)
    {
        var worker = await DecoderKey();
        var bytes = await fixture.Client.GetGrain<IDecoderWorkerGrain>(worker).Decode(new DecodeJob(VoiceIds.Default, [1, 2, 3], string.Empty, quality), Token);
        Assert.Equal(3 * 960 * sizeof(float), bytes.Length);
    }

    [Fact]
    public async Task Decode_UnknownTier_InvalidOptions()
    {
        var worker = await DecoderKey();
        var error = await Assert.ThrowsAsync<SessionRejectedException>(() =>
            fixture.Client.GetGrain<IDecoderWorkerGrain>(worker).Decode(new DecodeJob(VoiceIds.Default, [1, 2, 3], string.Empty, "ultra"), Token));
        Assert.Equal("invalid_options", error.Code);
    }

    [Fact]
    public async Task Start_UnknownQuality_RefusedWithInvalidOptionsNamingTheField()
    {
        var session = fixture.Client.GetGrain<ITtsSessionGrain>(Guid.NewGuid());
        var error = await Assert.ThrowsAsync<SessionRejectedException>(() =>
            session.Start(new SessionStart { Text = "hello", Language = "en", Quality = "ultra" }));
        Assert.Equal("invalid_options", error.Code);
        Assert.Contains("quality", error.Message, StringComparison.Ordinal);
    }

    private async Task<string> DecoderKey() =>
        (await fixture.Client.GetGrain<IWorkerRegistryGrain>(0).List()).First(w => w.Kind == WorkerKind.Decoder).WorkerKey;
}
