using System.Diagnostics;

namespace Sawt.Gateway.Tests.Infrastructure;

/// <summary>Finds and starts Debian's headless Chromium with remote debugging on a free port (shared with the end-to-end tests).</summary>
internal static class HeadlessChromium
{
    public static string? Find()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome" })
        {
            foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <param name="windowSize">The window as <c>WIDTH,HEIGHT</c> (e.g. for a screenshot of a whole page); Chromium's default when null.</param>
    public static Process Start(string chromium, string profile, Uri url, string? windowSize = null)
    {
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required", "--mute-audio",
            $"--user-data-dir={profile}", "--remote-debugging-port=0", url.ToString(),
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (windowSize is not null)
        {
            start.ArgumentList.Insert(0, $"--window-size={windowSize}");
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static async Task<int> ReadDevToolsPortAsync(string profile, Process browser)
    {
        var file = Path.Combine(profile, "DevToolsActivePort");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(browser.HasExited, $"chromium exited with {(browser.HasExited ? browser.ExitCode : 0)}");
            if (File.Exists(file))
            {
                var lines = await File.ReadAllLinesAsync(file, TestContext.Current.CancellationToken);
                if (lines.Length >= 1 && int.TryParse(lines[0], out var port) && port > 0)
                {
                    return port;
                }
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("chromium never wrote DevToolsActivePort");
    }
}
