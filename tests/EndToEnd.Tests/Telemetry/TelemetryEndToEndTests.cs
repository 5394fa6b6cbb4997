using System.Diagnostics;
using Sawt.Gateway.Diagnostics;
using Sawt.Grains.Diagnostics;
using Sawt.Inference;

namespace Sawt.EndToEnd.Tests.Telemetry;

/// <summary>
/// Issue 11's telemetry must-show: one utterance through the WebSocket is one trace from the gateway's context span
/// through the session to both workers (the engine's batch spans linked to it), and the scrape endpoint shows the
/// operator metrics with plausible values.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class TelemetryEndToEndTests(TelemetryClusterFixture cluster) : IClassFixture<TelemetryClusterFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Utterance_OverWebSocket_IsOneTraceFromGatewayThroughSessionToBothWorkers()
    {
        var contextId = "trace-" + Guid.NewGuid().ToString("N")[..8];
        var (done, _) = await SpeakAsync(contextId, "Tracing one utterance from the socket to the workers.");
        Assert.Equal("done", done.Type);

        // Some spans end after the client has its answer (the T3 worker's when its stream is disposed): wait for them.
        var spans = await cluster.Spans.WaitAsync(all => Complete(Trace(all, contextId), all), Bound, Token);
        var trace = Trace(spans, contextId);

        var context = Assert.Single(trace, s => Is(s, GatewayInstruments.SourceName, GatewayInstruments.ContextSpan));
        Assert.Equal(default, context.ParentSpanId);
        Assert.Equal("done", context.GetTagItem(GatewayInstruments.OutcomeTag));

        var session = Assert.Single(trace, s => Is(s, GrainTracing.SourceName, GrainTracing.SessionSpan));
        Assert.True(DescendsFrom(session, context, trace), $"the session span does not descend from the context span: {Chain(session, trace)}");
        Assert.Equal(context.GetTagItem(GatewayInstruments.SessionIdTag), session.GetTagItem(GrainTracing.SessionIdTag));

        var generations = trace.Where(s => Is(s, GrainTracing.SourceName, GrainTracing.T3Span)).ToList();
        Assert.NotEmpty(generations);
        Assert.All(generations, g => Assert.Equal(session.SpanId, g.ParentSpanId));

        var decodes = trace.Where(s => Is(s, GrainTracing.SourceName, GrainTracing.DecodeSpan)).ToList();
        Assert.NotEmpty(decodes);
        Assert.All(decodes, d => Assert.True(DescendsFrom(d, session, trace), $"a decode span does not descend from the session span: {Chain(d, trace)}"));

        // The engine's batches are traces of their own (one batch serves many utterances), linked to the generations.
        var batches = Batches(spans, generations);
        Assert.Contains(batches, b => b.OperationName == InferenceTelemetry.PrefillSpan);
        Assert.Contains(batches, b => b.OperationName == InferenceTelemetry.DecodeSpan);
        Assert.All(batches, b => Assert.NotEqual(context.TraceId, b.TraceId));
    }

    [Fact]
    public async Task Utterance_OverWebSocket_ScrapeShowsPlausibleMetrics()
    {
        using var http = new HttpClient { BaseAddress = cluster.Host.BaseAddress };
        var before = await PrometheusScrape.GetAsync(http, Token);

        // This host served the class's other test too, and the Orleans and runtime meters are the whole process's: the checks
        // read increases and ranges, not totals.
        var contextId = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        var (done, audio) = await SpeakAsync(contextId, "Metrics for one utterance. It has two sentences, so several chunks.", async _ =>
        {
            var scrape = await PrometheusScrape.GetAsync(http, Token);
            TestContext.Current.TestOutputHelper?.WriteLine(scrape.Text);

            // Scraped while the socket is still open.
            Assert.True(scrape.Sum("sawt_gateway_sockets_active", "endpoint=\"/v1/ws\"") >= 1, "no open socket counted");
            return scrape;
        });
        Assert.Equal("done", done.Type);
        Assert.True(audio >= 2, $"precondition: {audio} audio chunks give no inter-chunk gap");
        var after = done.Scrape!;

        AssertLatency(before, after, "sawt_gateway_time_to_first_audio_seconds", max: 60);
        AssertLatency(before, after, "sawt_session_time_to_first_audio_seconds", max: 60);
        AssertLatency(before, after, "sawt_gateway_inter_chunk_gap_seconds", max: 60, min: 0);
        AssertLatency(before, after, "sawt_session_real_time_factor", max: 1000);
        AssertLatency(before, after, "sawt_session_tokens_per_second", max: 1e6);
        AssertLatency(before, after, "sawt_worker_decode_duration_seconds", max: 60);

        Assert.True(Increase(before, after, "sawt_session_utterances_total", "outcome=\"done\"") >= 1, "no utterance counted done");
        Assert.True(Increase(before, after, "sawt_gateway_contexts_total", "outcome=\"done\"") >= 1, "no context counted done");
        Assert.True(Increase(before, after, "sawt_session_audio_seconds_total") > 0, "no audio counted");
        Assert.True(Increase(before, after, "sawt_worker_tokens_total") > 0, "no tokens counted");

        var drafted = Increase(before, after, "sawt_worker_speculative_draft_tokens_total");
        var accepted = Increase(before, after, "sawt_worker_speculative_accepted_tokens_total");
        Assert.True(drafted > 0 && accepted >= 0 && accepted <= drafted, $"speculative tokens: {accepted} of {drafted} accepted");

        foreach (var kind in new[] { "kind=\"t3\"", "kind=\"decoder\"" })
        {
            Assert.True(after.Has("sawt_worker_batch_size", kind), $"no batch size for {kind}");
            Assert.True(after.Has("sawt_worker_queue_depth", kind), $"no queue depth for {kind}");
            Assert.All(after.Samples("sawt_worker_batch_size", kind), s => Assert.InRange(s.Value, 0, 1024));
            Assert.All(after.Samples("sawt_worker_queue_depth", kind), s => Assert.InRange(s.Value, 0, 1024));
        }

        Assert.True(after.Has("sawt_session_active"), "no active sessions gauge");
        Assert.True(after.Has("sawt_gateway_contexts_active"), "no active contexts gauge");
        Assert.True(after.Has("sawt_worker_kv_cache_bytes"), "no KV cache gauge");
        Assert.All(after.Samples("sawt_worker_native_values"), s => Assert.True(s.Value >= 0, "negative live native values"));
        Assert.True(after.Has("sawt_worker_native_values", "device=\"cpu\""), "no live native values gauge (an idle engine holds none: zero is plausible)");
        Assert.InRange(after.Sum("sawt_process_memory_managed_bytes"), 1 << 20, 1L << 40);
        Assert.InRange(after.Sum("sawt_process_memory_native_bytes"), 1, 1L << 40);

        // The Orleans meter is exported too.
        Assert.Contains(after.Text.Split('\n'), line => line.StartsWith("orleans_", StringComparison.Ordinal));
    }

    private static void AssertLatency(PrometheusScrape before, PrometheusScrape after, string histogram, double max, double min = double.Epsilon)
    {
        var count = Increase(before, after, histogram + "_count");
        var sum = Increase(before, after, histogram + "_sum");
        Assert.True(count >= 1, $"{histogram}: nothing recorded");
        Assert.InRange(sum / count, min, max);
    }

    private static double Increase(PrometheusScrape before, PrometheusScrape after, string name, string? label = null) =>
        after.Sum(name, label) - before.Sum(name, label);

    /// <summary>Runs one context to its terminal message; <paramref name="beforeClose"/> runs while the socket is open.</summary>
    private async Task<(Terminal Done, int AudioChunks)> SpeakAsync(string contextId, string text, Func<ServerMessage, Task<PrometheusScrape>>? beforeClose = null)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Token);
        bound.CancelAfter(Bound);
        await using var client = await WsTestClient.ConnectAsync(cluster.Host.WebSocketUri(), bound.Token);
        await client.SendAsync(new { type = "synthesize", context_id = contextId, text, language = "en", sampling = new { seed = 11UL } }, bound.Token);
        var audio = 0;
        while (true)
        {
            var message = await client.ReceiveAsync(bound.Token);
            if (message.ContextId != contextId)
            {
                continue;
            }

            if (message.Type == "audio")
            {
                audio++;
                continue;
            }

            if (message.Type is "done" or "error" or "cancelled")
            {
                var scrape = beforeClose is null ? null : await beforeClose(message);
                return (new Terminal(message.Type, scrape), audio);
            }
        }
    }

    private static bool Is(Activity span, string source, string name) => span.Source.Name == source && span.OperationName == name;

    /// <summary>The spans of the trace whose root is the context <paramref name="contextId"/>'s span (empty until it ended).</summary>
    private static List<Activity> Trace(IReadOnlyList<Activity> spans, string contextId)
    {
        var root = spans.FirstOrDefault(s => Is(s, GatewayInstruments.SourceName, GatewayInstruments.ContextSpan) && (string?)s.GetTagItem(GatewayInstruments.ContextIdTag) == contextId);
        return root is null ? [] : [.. spans.Where(s => s.TraceId == root.TraceId)];
    }

    private static List<Activity> Batches(IReadOnlyList<Activity> spans, List<Activity> generations) =>
        [.. spans.Where(s => s.Source.Name == InferenceTelemetry.SourceName && s.Links.Any(l => generations.Any(g => g.SpanId == l.Context.SpanId)))];

    private static bool Complete(List<Activity> trace, IReadOnlyList<Activity> all)
    {
        var generations = trace.Where(s => Is(s, GrainTracing.SourceName, GrainTracing.T3Span)).ToList();
        var batches = Batches(all, generations);
        return trace.Any(s => Is(s, GrainTracing.SourceName, GrainTracing.SessionSpan))
            && trace.Any(s => Is(s, GrainTracing.SourceName, GrainTracing.DecodeSpan))
            && generations.Count > 0
            && batches.Any(b => b.OperationName == InferenceTelemetry.PrefillSpan)
            && batches.Any(b => b.OperationName == InferenceTelemetry.DecodeSpan);
    }

    private static bool DescendsFrom(Activity span, Activity ancestor, List<Activity> trace)
    {
        var bySpanId = trace.ToDictionary(s => s.SpanId);
        var current = span;
        for (var hops = 0; hops < 32; hops++)
        {
            if (current.ParentSpanId == ancestor.SpanId)
            {
                return true;
            }

            if (!bySpanId.TryGetValue(current.ParentSpanId, out var parent))
            {
                return false;
            }

            current = parent;
        }

        return false;
    }

    private static string Chain(Activity span, List<Activity> trace)
    {
        var bySpanId = trace.ToDictionary(s => s.SpanId);
        var names = new List<string> { $"{span.Source.Name}/{span.OperationName}" };
        var current = span;
        while (bySpanId.TryGetValue(current.ParentSpanId, out var parent) && names.Count < 32)
        {
            names.Add($"{parent.Source.Name}/{parent.OperationName}");
            current = parent;
        }

        return string.Join(" <- ", names) + $" (parent {current.ParentSpanId} not in the trace)";
    }

    private sealed record Terminal(string Type, PrometheusScrape? Scrape);
}
