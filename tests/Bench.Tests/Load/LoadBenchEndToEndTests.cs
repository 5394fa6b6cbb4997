using System.Text.Json;
using Sawt.Bench.Load;
using Sawt.Bench.Reporting;
using Sawt.Silo;

namespace Sawt.Bench.Tests.Load;

/// <summary>The load command against a real gateway: the embedded cluster on the tiny bundle, a handful of contexts.</summary>
[Trait("Category", "EndToEnd")]
public sealed class LoadBenchEndToEndTests(TinyBundleFixture bundle)
{
    [Fact]
    public async Task LoadCommand_AgainstARunningGateway_CompletesAndVerifiesEveryStream()
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromMinutes(3));
        await using var host = await EmbeddedClusterHost.StartAsync(bundle.Directory, cancellationToken: bound.Token);
        var json = Path.Combine(Path.GetTempPath(), $"sawt-load-{Guid.NewGuid():N}.json");
        using var output = new StringWriter();
        using var error = new StringWriter();
        try
        {
            // 3 contexts, 2 per socket (so one socket is partly filled), 2 turns each: 6 utterances.
            var exit = await BenchCommandLine.RunAsync(
                ["load", "--url", host.BaseAddress.ToString(), "--contexts", "3", "--contexts-per-socket", "2", "--turns", "2",
                    "--think-ms", "0", "--piece-delay-ms", "5", "--retry-busy", "--json", json],
                output,
                error,
                bound.Token);

            Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
            Assert.Contains("**Passed:** 6 of 6 utterances completed", output.ToString(), StringComparison.Ordinal);
            var document = JsonSerializer.Deserialize(await File.ReadAllTextAsync(json, bound.Token), BenchJsonContext.Default.BenchJsonDocumentLoadBenchReport)!;
            var results = document.Report.Results;
            Assert.Equal((6, 6, 2), (results.Utterances, results.Completed, document.Report.Sockets));
            Assert.Equal(0, results.ViolationCount);
            Assert.Equal(6, results.TimeToFirstAudio.Count);
            Assert.True(results.Chunks >= 6, $"{results.Chunks} chunks");
            Assert.InRange(results.TimeToFirstAudio.P50, 0.001, 60_000);
        }
        finally
        {
            File.Delete(json);
        }
    }
}
