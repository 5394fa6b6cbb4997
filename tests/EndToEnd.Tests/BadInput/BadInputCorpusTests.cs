namespace Sawt.EndToEnd.Tests.BadInput;

/// <summary>
/// Issue 7's bad-input corpus (<see cref="BadInputCorpus"/>) against the real embedded cluster: real Kestrel, real
/// ClientWebSocket and HttpClient. One fact per endpoint family runs all its cases and lists every failure by case id.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class BadInputCorpusTests(EmbeddedClusterFixture cluster)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Corpus_HasOver450NamedInputs_AcrossEveryEndpoint()
    {
        var ids = BadInputCorpus.WebSocket().Select(c => c.Id)
            .Concat(BadInputCorpus.CompatSocket().Select(c => c.Id))
            .Concat(BadInputCorpus.HttpBodies().Select(c => c.Id))
            .Concat(BadInputCorpus.Queries().Select(c => c.Id))
            .Concat(BadInputCorpus.VoicePaths().Select(c => c.Id))
            .Concat(BadInputCorpus.VoiceUploads().Select(c => c.Id))
            .ToList();

        Assert.True(ids.Count >= 450, $"{ids.Count} inputs");
        Assert.Empty(ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key));
        foreach (var prefix in new[] { "ws/synthesize/", "ws/text/", "ws/flush/", "ws/end/", "ws/cancel/", "ws/version/", "ws/unknown-context/", "ws-tts/", "http/v1/tts/", "http/v1/tts/stream/", "http/v1/audio/speech/", "query/tts-stream/", "path/GET/v1/voices/", "path/POST/v1/voices/", "upload/" })
        {
            Assert.Contains(ids, id => id.StartsWith(prefix, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task WebSocket_EveryInput_GetsItsDocumentedAnswer_AndTheSocketState()
    {
        var cases = BadInputCorpus.WebSocket().ToList();
        AssertNoFailures(cases.Count, await new WsCorpusRunner(cluster.WebSocketUri(), Ct).RunAsync(cases));
    }

    [Fact]
    public async Task CompatSocket_EveryInput_GetsItsErrorStatusAndClose()
    {
        var cases = BadInputCorpus.CompatSocket().ToList();
        AssertNoFailures(cases.Count, await new CompatCorpusRunner(cluster.WebSocketUri("/ws/tts"), Ct).RunAsync(cases));
    }

    [Fact]
    public async Task HttpBodies_EveryInput_GetsItsStatusAndJsonError()
    {
        var cases = BadInputCorpus.HttpBodies().ToList();
        AssertNoFailures(cases.Count, await new HttpCorpusRunner(cluster.BaseAddress, Ct).RunAsync(cases));
    }

    [Fact]
    public async Task QueryStrings_EveryInput_GetsItsStatusAndJsonError()
    {
        var cases = BadInputCorpus.Queries().ToList();
        AssertNoFailures(cases.Count, await new HttpCorpusRunner(cluster.BaseAddress, Ct).RunAsync(cases));
    }

    [Fact]
    public async Task VoicePathsAndUnmatchedRoutes_EveryInput_GetsItsStatusAndJsonError()
    {
        var cases = BadInputCorpus.VoicePaths().ToList();
        AssertNoFailures(cases.Count, await new HttpCorpusRunner(cluster.BaseAddress, Ct).RunAsync(cases));
    }

    [Fact]
    public async Task VoiceUploads_EveryReferenceWav_GetsTheClustersCode()
    {
        var cases = BadInputCorpus.VoiceUploads().ToList();
        AssertNoFailures(cases.Count, await new HttpCorpusRunner(cluster.BaseAddress, Ct).RunAsync(cases));
    }

    private static void AssertNoFailures(int total, IReadOnlyList<string> failures) =>
        Assert.True(failures.Count == 0, $"{failures.Count} of {total} inputs failed:\n{string.Join('\n', failures.Order(StringComparer.Ordinal))}");
}
