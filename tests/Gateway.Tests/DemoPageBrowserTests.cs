using Sawt.Gateway.Tests.Infrastructure;

namespace Sawt.Gateway.Tests;

/// <summary>
/// The demo page in headless Chromium, driven over the DevTools protocol, against real Kestrel over the fake
/// cluster (<see cref="FakeSessionBackend"/>): the page loads, opens /v1/ws, streams and schedules every chunk
/// with Web Audio. Without Chromium the test skips, except under CI=true where a missing browser fails.
/// </summary>
[Trait("Category", "Browser")]
public sealed class DemoPageBrowserTests
{
    [Fact]
    public async Task DemoPage_StreamsAndSchedulesAudio_AndShowsTimeToFirstAudio()
    {
        await using var server = await GatewayServer.StartAsync();
        var run = await DemoPageRun.RunAsync(server.HttpBase, "chunks:6 مرحبا", TimeSpan.FromSeconds(30));

        Assert.True(run.State.GetValueOrDefault("state") == "done", run.Describe());
        Assert.Equal("6", run.State["chunks"]);
        Assert.True(int.Parse(run.State["firstAudioMs"], System.Globalization.CultureInfo.InvariantCulture) >= 0);
        Assert.Contains("first audio after", run.Status, StringComparison.Ordinal);
        Assert.Equal("chunks scheduled: 6", run.ChunksText);
        var session = Assert.Single(server.Backend.Sessions);
        Assert.Equal(("pcm_f32le", 24000, "ar"), (session.Start.Output.Encoding, session.Start.Output.SampleRate, session.Start.Language));
    }
}
