using System.Text.Json;

namespace Sawt.Gateway.Tests.Infrastructure;

/// <summary>
/// Opens the demo page in headless Chromium with autoplay, waits until the page reports <c>done</c> or
/// <c>error</c> in its body's data attributes, and returns what it shows. Skips without Chromium, except under
/// CI=true where a missing browser fails (shared by the gateway and end-to-end page tests).
/// </summary>
internal sealed record DemoPageRun(Dictionary<string, string> State, string Status, string ChunksText)
{
    public string Describe() => $"page state {JsonSerializer.Serialize(State)}, status '{Status}'";

    public static async Task<DemoPageRun> RunAsync(Uri baseAddress, string text, TimeSpan timeout)
    {
        var chromium = HeadlessChromium.Find();
        if (chromium is null)
        {
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase),
                "Chromium is not installed; .ci/run installs it (apt-get install -y chromium).");
            Assert.Skip("Chromium is not installed (apt-get install -y chromium); set CI=true to make this a failure.");
        }

        var profile = Directory.CreateTempSubdirectory("sawt-chromium-");
        var url = new Uri(baseAddress, "/?autoplay=1&text=" + Uri.EscapeDataString(text));
        using var browser = HeadlessChromium.Start(chromium!, profile.FullName, url);
        try
        {
            var port = await HeadlessChromium.ReadDevToolsPortAsync(profile.FullName, browser);
            await using var page = await DevToolsPage.ConnectAsync(port, url);
            Dictionary<string, string> state = [];
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                state = await page.EvaluateDatasetAsync();
                if (state.GetValueOrDefault("state") is "done" or "error")
                {
                    break;
                }

                await Task.Delay(100, TestContext.Current.CancellationToken);
            }

            return new DemoPageRun(
                state,
                await page.EvaluateStringAsync("document.getElementById('status').textContent"),
                await page.EvaluateStringAsync("document.getElementById('chunks').textContent"));
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
