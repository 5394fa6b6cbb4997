using System.Text.Json;
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
        var chromium = HeadlessChromium.Find();
        if (chromium is null)
        {
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase),
                "Chromium is not installed; .ci/run installs it (apt-get install -y chromium).");
            Assert.Skip("Chromium is not installed (apt-get install -y chromium); set CI=true to make this a failure.");
        }

        var profile = Directory.CreateTempSubdirectory("sawt-chromium-");
        var url = new Uri(cluster.BaseAddress, "/?autoplay=1&text=" + Uri.EscapeDataString("مرحبا بكم في سوت. هذه تجربة."));
        using var browser = HeadlessChromium.Start(chromium!, profile.FullName, url);
        try
        {
            var port = await HeadlessChromium.ReadDevToolsPortAsync(profile.FullName, browser);
            await using var page = await DevToolsPage.ConnectAsync(port, url);
            Dictionary<string, string> state = [];
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
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
            Assert.True(int.Parse(state["chunks"], System.Globalization.CultureInfo.InvariantCulture) >= 2, $"chunks {state["chunks"]}");
            Assert.True(int.Parse(state["firstAudioMs"], System.Globalization.CultureInfo.InvariantCulture) >= 0);
            Assert.Contains("first audio after", status, StringComparison.Ordinal);
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
