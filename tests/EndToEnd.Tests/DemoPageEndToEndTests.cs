using Sawt.Gateway.Tests.Infrastructure;

namespace Sawt.EndToEnd.Tests;

/// <summary>
/// The demo page in headless Chromium against the whole embedded cluster: it loads, streams real session audio
/// through /v1/ws and schedules every chunk with Web Audio. Skips without Chromium unless CI=true.
/// </summary>
[Trait("Category", "Browser")]
public sealed class DemoPageEndToEndTests(EmbeddedClusterFixture cluster)
{
    [Fact]
    public async Task DemoPage_RealCluster_StreamsAndSchedulesAudio()
    {
        var run = await DemoPageRun.RunAsync(cluster.BaseAddress, "مرحبا بكم في سوت. هذه تجربة.", TimeSpan.FromSeconds(60));

        Assert.True(run.State.GetValueOrDefault("state") == "done", run.Describe());
        Assert.True(int.Parse(run.State["chunks"], System.Globalization.CultureInfo.InvariantCulture) >= 2, $"chunks {run.State["chunks"]}");
        Assert.True(int.Parse(run.State["firstAudioMs"], System.Globalization.CultureInfo.InvariantCulture) >= 0);
        Assert.Contains("first audio after", run.Status, StringComparison.Ordinal);
    }
}
