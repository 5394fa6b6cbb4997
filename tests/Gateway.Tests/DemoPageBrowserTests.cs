using System.Diagnostics;
using System.Text.Json;
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
        var chromium = HeadlessChromium.Find();
        if (chromium is null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail("Chromium is not installed; .ci/run installs it (apt-get install -y chromium).");
            }

            Assert.Skip("Chromium is not installed (apt-get install -y chromium); set CI=true to make this a failure.");
        }

        await using var server = await GatewayServer.StartAsync();
        var profile = Directory.CreateTempSubdirectory("sawt-chromium-");
        var url = new Uri(server.HttpBase, "/?autoplay=1&text=" + Uri.EscapeDataString("chunks:6 مرحبا"));
        using var browser = HeadlessChromium.Start(chromium, profile.FullName, url);
        try
        {
            var port = await HeadlessChromium.ReadDevToolsPortAsync(profile.FullName, browser);
            await using var page = await DevToolsPage.ConnectAsync(port, url);
            Dictionary<string, string> state = [];
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (DateTime.UtcNow < deadline)
            {
                state = await page.EvaluateDatasetAsync();
                if (state.GetValueOrDefault("state") is "done" or "error")
                {
                    break;
                }

                await Task.Delay(100, TestContext.Current.CancellationToken);
            }

            var status = await page.EvaluateStringAsync("document.getElementById('status').textContent");
            Assert.True(state.GetValueOrDefault("state") == "done", $"page state {JsonSerializer.Serialize(state)}, status '{status}'");
            Assert.Equal("6", state["chunks"]);
            Assert.True(int.Parse(state["firstAudioMs"], System.Globalization.CultureInfo.InvariantCulture) >= 0);
            Assert.Contains("first audio after", status, StringComparison.Ordinal);
            Assert.Equal("chunks scheduled: 6", await page.EvaluateStringAsync("document.getElementById('chunks').textContent"));
            var session = Assert.Single(server.Backend.Sessions);
            Assert.Equal(("pcm_f32le", 24000, "ar"), (session.Start.Output.Encoding, session.Start.Output.SampleRate, session.Start.Language));
        }
        finally
        {
            if (!browser.HasExited)
            {
                browser.Kill(entireProcessTree: true);
                await browser.WaitForExitAsync(CancellationToken.None);
            }

            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Chromium may still be writing its profile; the temp folder is left behind.
            }
        }
    }
}
