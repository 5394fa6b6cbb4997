using System.Globalization;
using Sawt.EndToEnd.Tests.BadInput;
using Sawt.Gateway.Tests.Infrastructure;

namespace Sawt.EndToEnd.Tests;

/// <summary>
/// The playground (the demo page on the TypeScript client) in headless Chromium against the whole embedded cluster:
/// a voice clip is uploaded through the page's file input and used, an utterance is typed word by word in the
/// "stream as I type" mode, and the page shows its figures (time to first audio, waveform, chunk timeline). The
/// screenshot is kept under the test results folder and attached to the test. Skips without Chromium unless CI=true.
/// </summary>
[Trait("Category", "Browser")]
public sealed class PlaygroundEndToEndTests(EmbeddedClusterFixture cluster)
{
    private static readonly string[] Words = ["Typed", "word", "by", "word,", "as", "an", "LLM", "would.", "Then", "done."];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Playground_UploadedVoice_TypedIncrementally_ShowsFigures()
    {
        var chromium = HeadlessChromium.Find();
        if (chromium is null)
        {
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase),
                "Chromium is not installed; .ci/run installs it (apt-get install -y chromium).");
            Assert.Skip("Chromium is not installed (apt-get install -y chromium); set CI=true to make this a failure.");
        }

        var profile = Directory.CreateTempSubdirectory("sawt-chromium-");
        var url = new Uri(cluster.BaseAddress, "/");
        using var browser = HeadlessChromium.Start(chromium!, profile.FullName, url);
        try
        {
            var port = await HeadlessChromium.ReadDevToolsPortAsync(profile.FullName, browser);
            await using var page = await DevToolsPage.ConnectAsync(port, url);
            await WaitForAsync(page, s => s.ContainsKey("voices"), "the voice list");

            // The page's own upload path: a File in its file input and a change event, as a user picking a clip.
            var clip = Convert.ToBase64String(ReferenceWavs.ValidClip());
            await page.EvaluateStringAsync($$"""
                (() => {
                  const bytes = Uint8Array.from(atob("{{clip}}"), c => c.charCodeAt(0));
                  const files = new DataTransfer();
                  files.items.add(new File([bytes], "my-voice.wav", { type: "audio/wav" }));
                  const input = document.getElementById("voice-file");
                  input.files = files.files;
                  input.dispatchEvent(new Event("change"));
                  return "ok";
                })()
                """);
            var uploaded = (await WaitForAsync(page, s => s.ContainsKey("voiceUploaded"), "the uploaded voice"))["voiceUploaded"];
            Assert.Matches("^v_[0-9a-f]{20}$", uploaded);
            Assert.Equal(uploaded, await page.EvaluateStringAsync("document.getElementById('voice').value"));
            Assert.Contains(uploaded, await page.EvaluateStringAsync("document.getElementById('voices').textContent"), StringComparison.Ordinal);

            await page.EvaluateStringAsync("""
                document.getElementById("language").value = "en";
                document.getElementById("live").checked = true;
                document.getElementById("text").value = "";
                "ok"
                """);
            for (var typed = 1; typed <= Words.Length; typed++)
            {
                var word = Words[typed - 1];
                // One input event per word, each appending to what is there, as typing does.
                await page.EvaluateStringAsync($$"""
                    (() => {
                      const text = document.getElementById("text");
                      text.value += {{System.Text.Json.JsonSerializer.Serialize(word + " ")}};
                      text.dispatchEvent(new Event("input"));
                      return "ok";
                    })()
                    """);

                // The next word is typed once this one has gone out as its own text message: the page batches what
                // is typed while a message is pending, so this keeps the utterance incremental however slow the run.
                var sent = typed.ToString(CultureInfo.InvariantCulture);
                await WaitForAsync(page, s => s.GetValueOrDefault("liveSent") == sent, $"word {typed} to be sent");
            }

            await page.EvaluateStringAsync("document.getElementById('finish').click(); 'ok'");
            var state = await WaitForAsync(page, s => s.GetValueOrDefault("state") is "done" or "error" or "cancelled", "the utterance to end");

            var screenshot = ScreenshotPath();
            await page.CaptureScreenshotAsync(screenshot);
            TestContext.Current.AddAttachment("playground.png", await File.ReadAllBytesAsync(screenshot, Token), "image/png");
            TestContext.Current.TestOutputHelper?.WriteLine($"playground screenshot: {screenshot}");

            var describe = System.Text.Json.JsonSerializer.Serialize(state);
            Assert.True(state["state"] == "done", describe);
            Assert.Equal(uploaded, state["utteranceVoice"]);
            Assert.Equal(Words.Length.ToString(CultureInfo.InvariantCulture), state["liveSent"]);
            var chunks = int.Parse(state["chunks"], CultureInfo.InvariantCulture);
            Assert.True(chunks >= 1, describe);
            Assert.Equal(chunks, int.Parse(state["timelineChunks"], CultureInfo.InvariantCulture));
            Assert.True(int.Parse(state["waveformSamples"], CultureInfo.InvariantCulture) > 0, describe);
            Assert.True(int.Parse(state["firstAudioMs"], CultureInfo.InvariantCulture) >= 0, describe);
            var figures = await page.EvaluateStringAsync("document.querySelector('#utterances .figures').textContent");
            Assert.Contains($"first audio {state["firstAudioMs"]} ms", figures, StringComparison.Ordinal);
            Assert.Contains($"{chunks} chunks", figures, StringComparison.Ordinal);
            Assert.Contains("done", figures, StringComparison.Ordinal);
            // Both drawings have ink: some pixel of each canvas is not transparent.
            foreach (var canvas in new[] { "waveform", "timeline" })
            {
                Assert.Equal("true", await page.EvaluateStringAsync(
                    $"(() => {{ const c = document.querySelector('#utterances canvas.{canvas}'); return String(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0)); }})()"));
            }
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

    /// <summary>Polls the page's body data attributes until <paramref name="condition"/> holds (60 s at most).</summary>
    private static async Task<Dictionary<string, string>> WaitForAsync(DevToolsPage page, Func<Dictionary<string, string>, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        Dictionary<string, string> state = [];
        while (DateTime.UtcNow < deadline)
        {
            state = await page.EvaluateDatasetAsync();
            if (condition(state))
            {
                return state;
            }

            await Task.Delay(100, Token);
        }

        var status = await page.EvaluateStringAsync("document.getElementById('status').textContent + ' / ' + document.getElementById('voice-status').textContent");
        throw new TimeoutException($"waited 60 s for {what}; page state {System.Text.Json.JsonSerializer.Serialize(state)}, status '{status}'");
    }

    /// <summary>TestResults/artifacts beside the test assembly, where the run's other results are.</summary>
    private static string ScreenshotPath()
    {
        var directory = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults", "artifacts"));
        return Path.Combine(directory.FullName, $"playground-{DateTime.UtcNow:yyyyMMdd-HHmmss}.png");
    }
}
