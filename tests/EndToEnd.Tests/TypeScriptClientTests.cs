using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Sawt.EndToEnd.Tests;

/// <summary>
/// Runs the TypeScript client's own tests (clients/js, <c>npm test</c>: node's test runner) so the README's one test
/// command covers them. They start the embedded cluster as child processes of this build's silo (on this fixture's
/// bundle) and restart it for the reconnect test. Needs Node and <c>npm ci</c> in clients/js (.ci/run does both);
/// without them the test skips, except under CI=true where it fails.
/// </summary>
[Trait("Category", "Node")]
public sealed partial class TypeScriptClientTests(EmbeddedClusterFixture cluster)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task TypeScriptClient_NodeTests_PassAgainstTheEmbeddedCluster()
    {
        var package = Path.Combine(RepositoryRoot(), "clients", "js");
        if (!Directory.Exists(Path.Combine(package, "node_modules")))
        {
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase),
                "clients/js has no node_modules; .ci/run runs npm ci there.");
            Assert.Skip("clients/js has no node_modules (cd clients/js && npm ci); set CI=true to make this a failure.");
        }

        var start = new ProcessStartInfo("npm")
        {
            WorkingDirectory = package,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("test");
        start.Environment["SAWT_SILO_DLL"] = Path.Combine(AppContext.BaseDirectory, "Sawt.Silo.dll");
        start.Environment["SAWT_BUNDLE"] = cluster.BundleDirectory;
        using var npm = Process.Start(start) ?? throw new InvalidOperationException("npm did not start");
        var stdout = npm.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = npm.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Limit);
        try
        {
            await npm.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // The whole tree: npm, node's runner and the silos it started.
            npm.Kill(entireProcessTree: true);
            await npm.WaitForExitAsync(CancellationToken.None);
        }

        var output = await stdout + await stderr;
        TestContext.Current.TestOutputHelper?.WriteLine(output);
        var tail = output.Length > 6000 ? output[^6000..] : output;
        Assert.True(npm.ExitCode == 0, $"npm test exited with {npm.ExitCode}:\n{tail}");
        var passed = PassLine().Match(output);
        Assert.True(passed.Success && int.Parse(passed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, $"no passing tests reported:\n{tail}");
        Assert.Matches(FailLine(), output);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Cluster.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^# pass (\d+)$", RegexOptions.Multiline)]
    private static partial Regex PassLine();

    [GeneratedRegex(@"^# fail 0$", RegexOptions.Multiline)]
    private static partial Regex FailLine();
}
