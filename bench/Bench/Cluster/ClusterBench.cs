using System.Diagnostics;
using Orleans.Runtime;
using Orleans.Streams;
using Sawt.Bench.Engine;
using Sawt.Bench.Reporting;
using Sawt.Contracts;
using Sawt.Contracts.Sessions;
using Sawt.Inference;
using Sawt.Inference.Bundles;
using Sawt.Inference.Runtime;
using Sawt.Inference.Sampling;
using Sawt.Inference.Streaming;

namespace Sawt.Bench.Cluster;

/// <summary>
/// The cluster bench, on one generated bundle, on CPU, per topology (the embedded default in the bench process; a
/// silo and a standalone gateway as child processes): after a warm-up, WebSocket time to first audio at one context
/// and under load, the session stream's hop (publish to subscriber) at one session and under load, then, after a
/// quiet spell, each process's idle CPU. On the embedded topology also N concurrent utterances through
/// <c>TtsEngine.StreamAsync</c> against the same through the WebSocket, rounds alternating (same texts, seeds and
/// sampling, so both paths generate the same tokens). Progress goes to <c>log</c>.
/// </summary>
internal sealed class ClusterBench(ClusterBenchSettings settings, TextWriter log)
{
    private const ulong BaseSeed = 4242;

    public async Task<ClusterBenchReport> RunAsync(CancellationToken cancellationToken = default)
    {
        using var bundle = settings.Bundle.Prepare(log);
        var direct = new List<LatencyMeasurement>();
        var webSocket = new List<LatencyMeasurement>();
        var topologies = new List<TopologyMeasurement>();
        foreach (var topology in settings.Topologies)
        {
            log.WriteLine($"[cluster] starting the {topology.ToString().ToLowerInvariant()} topology");
            await using var running = await StartAsync(topology, bundle.Directory, cancellationToken).ConfigureAwait(false);
            topologies.Add(await MeasureTopologyAsync(running, bundle.Directory, direct, webSocket, cancellationToken).ConfigureAwait(false));
        }

        return new ClusterBenchReport(settings, bundle.GenerateSeconds, direct, webSocket, topologies);
    }

    private async Task<IRunningTopology> StartAsync(ClusterTopology topology, string directory, CancellationToken cancellationToken) => topology switch
    {
        ClusterTopology.Embedded => await EmbeddedTopology.StartAsync(directory, settings.IntraOpThreads, cancellationToken).ConfigureAwait(false),
        ClusterTopology.Standalone => await StandaloneTopology.StartAsync(directory, settings.IntraOpThreads, log, cancellationToken).ConfigureAwait(false),
        _ => throw new ArgumentOutOfRangeException(nameof(topology), topology, null),
    };

    /// <summary>
    /// Warm-up (each text alone, one round of the loaded shape, one hop session), first audio at 1 and under load,
    /// hops at 1 and under load, the direct comparison (embedded only), then idle CPU with the bench's client gone.
    /// </summary>
    private async Task<TopologyMeasurement> MeasureTopologyAsync(
        IRunningTopology running,
        string directory,
        List<LatencyMeasurement> direct,
        List<LatencyMeasurement> webSocket,
        CancellationToken cancellationToken)
    {
        var name = running.Topology.ToString().ToLowerInvariant();
        var uri = running.WebSocketUri;
        for (var k = 0; k < 2; k++)
        {
            await WebSocketRoundAsync(uri, 1, 1, k, cancellationToken).ConfigureAwait(false);
        }

        await WebSocketRoundAsync(uri, settings.LoadContexts, settings.LoadSockets, 0, cancellationToken).ConfigureAwait(false);
        await HopSessionAsync(running.Client, 0, 0, cancellationToken).ConfigureAwait(false);

        var firstAudio = new List<LatencyMeasurement>();
        foreach (var (contexts, sockets) in new[] { (1, 1), (settings.LoadContexts, settings.LoadSockets) })
        {
            var w = await MeasureWebSocketAsync(uri, contexts, sockets, cancellationToken).ConfigureAwait(false);
            firstAudio.Add(w);
            log.WriteLine($"[ws] {name} x{contexts} on {sockets} socket(s): first audio {w.FirstAudio.Median:F0} ms (p90 {w.FirstAudio.P90:F0}), total {w.Total.Median:F0} ms");
        }

        var hops = new List<HopMeasurement>();
        foreach (var concurrency in new[] { 1, settings.HopConcurrency })
        {
            var h = await MeasureHopsAsync(running.Client, concurrency, cancellationToken).ConfigureAwait(false);
            hops.Add(h);
            log.WriteLine($"[hop] {name} x{concurrency}: {h.Chunks} chunks, hop {h.Hop.Median:F1} ms median, " +
                $"p90 {h.Hop.P90:F1} ms, max {h.Hop.Max:F1} ms");
        }

        if (running.Topology == ClusterTopology.Embedded)
        {
            await CompareAsync(directory, uri, direct, webSocket, cancellationToken).ConfigureAwait(false);
        }

        var idle = await MeasureIdleAsync(running, name, cancellationToken).ConfigureAwait(false);
        return new TopologyMeasurement(running.Topology, firstAudio, hops, idle);
    }

    /// <summary>
    /// CPU time of each of the topology's processes over <c>Idle</c>, after the bench's own client is stopped and
    /// <c>Settle</c> has passed with nothing sent, read in slices of about 10 s (one window for all processes alike).
    /// </summary>
    private async Task<IReadOnlyList<IdleCpu>> MeasureIdleAsync(IRunningTopology running, string name, CancellationToken cancellationToken)
    {
        await running.ReleaseClientAsync().ConfigureAwait(false);
        Settle();
        log.WriteLine($"[idle] {name}: settling {settings.Settle.TotalSeconds:0} s, then measuring CPU for {settings.Idle.TotalSeconds:0} s");
        await Task.Delay(settings.Settle, cancellationToken).ConfigureAwait(false);

        var processes = running.Processes;
        var slices = Math.Max(1, (int)Math.Round(settings.Idle.TotalSeconds / 10));
        var first = processes.Select(p => p.ProcessorTime()).ToArray();
        var previous = first.ToArray();
        var busiest = new double[processes.Count];
        var clock = Stopwatch.StartNew();
        var sliceStart = TimeSpan.Zero;
        for (var s = 1; s <= slices; s++)
        {
            await Task.Delay(Max(TimeSpan.Zero, (settings.Idle * s / slices) - clock.Elapsed), cancellationToken).ConfigureAwait(false);
            var now = clock.Elapsed;
            for (var p = 0; p < processes.Count; p++)
            {
                var cpu = processes[p].ProcessorTime();
                busiest[p] = Math.Max(busiest[p], PercentOfCore(cpu - previous[p], now - sliceStart));
                previous[p] = cpu;
            }

            sliceStart = now;
        }

        var window = sliceStart;
        var idle = processes.Select((p, i) => new IdleCpu(p.Name, PercentOfCore(previous[i] - first[i], window), busiest[i], slices, window)).ToArray();
        foreach (var x in idle)
        {
            log.WriteLine($"[idle] {name} {x.Process}: {x.Percent:F2} % of one core over {x.Window.TotalSeconds:F0} s (busiest slice {x.BusiestSlicePercent:F2} %)");
        }

        return idle;
    }

    private static double PercentOfCore(TimeSpan cpu, TimeSpan wall) => 100.0 * cpu.TotalSeconds / wall.TotalSeconds;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>
    /// The direct engine and the WebSocket at each concurrency, their rounds alternating (direct, WebSocket, direct, ...)
    /// so that JIT tiering, caches and the machine's load drift weigh on both alike. The direct engine is loaded beside
    /// the cluster's (idle while the other path runs) from the same bundle, with the same threads, and disposed after.
    /// </summary>
    private async Task CompareAsync(string directory, Uri webSocketUri, List<LatencyMeasurement> direct, List<LatencyMeasurement> webSocket, CancellationToken cancellationToken)
    {
        var options = new TtsEngineOptions
        {
            Bundle = new BundleOptions { ExecutionProvider = ExecutionProviderChoice.Cpu, IntraOpThreads = settings.IntraOpThreads },
        };
        await using var engine = TtsEngine.Load(directory, options);
        _ = engine.DefaultVoice;

        // Warm-up: each text alone, then one round at the highest concurrency (batch shapes of the timed rounds);
        // the WebSocket is warm from the topology's own warm-up but has not yet run this many contexts.
        var most = settings.Concurrency.Max();
        await DirectRoundAsync(engine, 2, 0, sequential: true, cancellationToken).ConfigureAwait(false);
        await DirectRoundAsync(engine, most, 0, sequential: false, cancellationToken).ConfigureAwait(false);
        await WebSocketRoundAsync(webSocketUri, most, SocketsFor(most), 0, cancellationToken).ConfigureAwait(false);

        foreach (var concurrency in settings.Concurrency)
        {
            var directRuns = new List<UtteranceTimes>();
            var webSocketRuns = new List<UtteranceTimes>();
            for (var r = 0; r < settings.Repeat; r++)
            {
                Settle();
                directRuns.AddRange(await DirectRoundAsync(engine, concurrency, r, sequential: false, cancellationToken).ConfigureAwait(false));
                Settle();
                webSocketRuns.AddRange(await WebSocketRoundAsync(webSocketUri, concurrency, SocketsFor(concurrency), r, cancellationToken).ConfigureAwait(false));
            }

            var d = Summarise(concurrency, 0, directRuns);
            var w = Summarise(concurrency, SocketsFor(concurrency), webSocketRuns);
            direct.Add(d);
            webSocket.Add(w);
            log.WriteLine($"[direct] x{concurrency}: first audio {d.FirstAudio.Median:F0} ms (p90 {d.FirstAudio.P90:F0}), total {d.Total.Median:F0} ms (p90 {d.Total.P90:F0})");
            log.WriteLine($"[ws] x{concurrency} on {w.Sockets} socket(s): first audio {w.FirstAudio.Median:F0} ms (p90 {w.FirstAudio.P90:F0}), total {w.Total.Median:F0} ms (p90 {w.Total.P90:F0})");
        }
    }

    private static async Task<UtteranceTimes[]> DirectRoundAsync(TtsEngine engine, int concurrency, int round, bool sequential, CancellationToken cancellationToken)
    {
        if (sequential)
        {
            var results = new UtteranceTimes[concurrency];
            for (var k = 0; k < concurrency; k++)
            {
                results[k] = await DirectOnceAsync(engine, k, round, cancellationToken).ConfigureAwait(false);
            }

            return results;
        }

        return await Task.WhenAll(Enumerable.Range(0, concurrency).Select(k => DirectOnceAsync(engine, k, round, cancellationToken))).ConfigureAwait(false);
    }

    private static async Task<UtteranceTimes> DirectOnceAsync(TtsEngine engine, int index, int round, CancellationToken cancellationToken)
    {
        var (language, text) = Utterance(index, round);
        var request = new StreamingRequest(text, language, Sampling: new SamplingOptions { Seed = Seed(index) });
        double? firstAudio = null;
        long samples = 0;
        var start = Stopwatch.GetTimestamp();
        await foreach (var chunk in engine.StreamAsync(request, cancellationToken).ConfigureAwait(false))
        {
            if (chunk.Samples.Length > 0)
            {
                firstAudio ??= Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                samples += chunk.Samples.Length;
            }
        }

        var total = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        return new UtteranceTimes(
            firstAudio ?? throw new InvalidOperationException("A direct stream carried no audio."),
            total,
            null,
            samples * 1000.0 / ChatterboxConstants.SampleRate);
    }

    private async Task<LatencyMeasurement> MeasureWebSocketAsync(Uri webSocketUri, int concurrency, int sockets, CancellationToken cancellationToken)
    {
        var runs = new List<UtteranceTimes>();
        for (var r = 0; r < settings.Repeat; r++)
        {
            Settle();
            runs.AddRange(await WebSocketRoundAsync(webSocketUri, concurrency, sockets, r, cancellationToken).ConfigureAwait(false));
        }

        return Summarise(concurrency, sockets, runs);
    }

    /// <summary>
    /// N contexts over the given sockets, connected before the clock starts; context k goes to
    /// socket k mod sockets. Each socket sends its <c>synthesize</c> messages one after another (a WebSocket takes one
    /// send at a time) while its receive loop runs; each context's clock starts just before its own send.
    /// </summary>
    private static async Task<UtteranceTimes[]> WebSocketRoundAsync(Uri webSocketUri, int concurrency, int socketCount, int round, CancellationToken cancellationToken)
    {
        var sockets = new BenchWsClient[socketCount];
        try
        {
            for (var s = 0; s < socketCount; s++)
            {
                sockets[s] = await BenchWsClient.ConnectAsync(webSocketUri, cancellationToken).ConfigureAwait(false);
            }

            var starts = new long[concurrency];
            var results = new UtteranceTimes?[concurrency];
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            var tasks = new List<Task>();
            for (var s = 0; s < socketCount; s++)
            {
                var socket = sockets[s];
                var mine = Enumerable.Range(0, concurrency).Where(k => k % socketCount == s).ToArray();
                tasks.Add(ReceiveAllAsync(socket, mine, starts, results, timeout.Token));
                tasks.Add(SendAllAsync(socket, mine, round, starts, timeout.Token));
            }

            await Task.WhenAll(tasks).ConfigureAwait(false);
            return results.Select(r => r!).ToArray();
        }
        finally
        {
            foreach (var socket in sockets)
            {
                if (socket is not null)
                {
                    await socket.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task SendAllAsync(BenchWsClient socket, int[] contexts, int round, long[] starts, CancellationToken cancellationToken)
    {
        foreach (var k in contexts)
        {
            var (language, text) = Utterance(k, round);
            starts[k] = Stopwatch.GetTimestamp();
            await socket.SendAsync(
                new { type = "synthesize", context_id = ContextId(k), text, language, sampling = new { seed = Seed(k) }, output_format = new { encoding = "pcm_f32le" } },
                cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ReceiveAllAsync(BenchWsClient socket, int[] contexts, long[] starts, UtteranceTimes?[] results, CancellationToken cancellationToken)
    {
        var firstAudio = new Dictionary<int, double>();
        var pending = contexts.Length;
        while (pending > 0)
        {
            var message = await socket.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            var now = Stopwatch.GetTimestamp();
            var k = message.ContextId is { } id && id.StartsWith('c') ? int.Parse(id.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) : -1;
            switch (message.Type)
            {
                case "audio" when message.Audio is { Length: > 0 } && !firstAudio.ContainsKey(k):
                    firstAudio[k] = Stopwatch.GetElapsedTime(starts[k], now).TotalMilliseconds;
                    break;
                case "done":
                    results[k] = new UtteranceTimes(
                        firstAudio.TryGetValue(k, out var first) ? first : throw new InvalidOperationException($"Context {k} finished without audio."),
                        Stopwatch.GetElapsedTime(starts[k], now).TotalMilliseconds,
                        (double)message.Json["time_to_first_audio_ms"]!,
                        (double)message.Json["audio_ms"]!);
                    pending--;
                    break;
                case "error" or "cancelled":
                    throw new InvalidOperationException($"Context {message.ContextId} ended with {message.Json.ToJsonString()}.");
            }
        }
    }

    /// <summary>
    /// Sessions started directly on the session grain, subscribed through the topology's client (where its gateway
    /// subscribes): per audio chunk event, its receipt time (this machine's wall clock) minus its <c>PublishedAt</c>
    /// (the silo's wall clock, the same clock on one machine). <paramref name="concurrency"/> sessions at a time,
    /// <c>Repeat</c> x 2 rounds per row (the two typical sentences alternate).
    /// </summary>
    private async Task<HopMeasurement> MeasureHopsAsync(IClusterClient client, int concurrency, CancellationToken cancellationToken)
    {
        var hops = new List<double>();
        var rounds = settings.Repeat * 2;
        for (var r = 0; r < rounds; r++)
        {
            Settle();
            var sessions = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(k => HopSessionAsync(client, k, r, cancellationToken))).ConfigureAwait(false);
            hops.AddRange(sessions.SelectMany(h => h));
        }

        return new HopMeasurement(concurrency, HopSummary.From(hops), hops.Count);
    }

    private static async Task<double[]> HopSessionAsync(IClusterClient client, int index, int round, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        var grain = client.GetGrain<ITtsSessionGrain>(id);
        var stream = client.GetStreamProvider(StreamNames.Provider).GetStream<SessionEvent>(StreamId.Create(StreamNames.SessionNamespace, id));
        var hops = new List<double>();
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = await stream.SubscribeAsync((e, _) =>
        {
            var received = DateTimeOffset.UtcNow;
            switch (e)
            {
                case AudioChunkEvent:
                    lock (hops)
                    {
                        hops.Add((received - e.PublishedAt).TotalMilliseconds);
                    }

                    break;
                case SessionCompleted:
                    ended.TrySetResult();
                    break;
                case SessionFailed failed:
                    ended.TrySetException(new InvalidOperationException($"Hop session failed: {failed.Code} {failed.Message}"));
                    break;
            }

            return Task.CompletedTask;
        }).ConfigureAwait(false);
        try
        {
            var (language, text) = Utterance(index, round);
            await grain.Start(new SessionStart { Text = text, Language = language, Sampling = new SamplingSettings { Seed = Seed(index) } }).ConfigureAwait(false);
            await ended.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
            lock (hops)
            {
                return [.. hops];
            }
        }
        finally
        {
            await subscription.UnsubscribeAsync().ConfigureAwait(false);
        }
    }

    private LatencyMeasurement Summarise(int concurrency, int sockets, IReadOnlyList<UtteranceTimes> runs) => new(
        concurrency,
        sockets,
        Summary.From(runs.Select(x => x.FirstAudioMilliseconds)),
        Summary.From(runs.Select(x => x.TotalMilliseconds)),
        runs.All(x => x.SessionFirstAudioMilliseconds is not null) ? Summary.From(runs.Select(x => x.SessionFirstAudioMilliseconds!.Value)) : null,
        runs.Average(x => x.AudioMilliseconds),
        runs.Count);

    private int SocketsFor(int concurrency) => (concurrency + settings.ContextsPerSocket - 1) / settings.ContextsPerSocket;

    /// <summary>Utterance k of round r: the two typical sentences alternate, so every row speaks both languages.</summary>
    private static (string Language, string Text) Utterance(int index, int round) => BenchTexts.Typical[(index + round) % BenchTexts.Typical.Count];

    private static ulong Seed(int index) => BaseSeed + (ulong)index;

    private static string ContextId(int index) => $"c{index}";

    /// <summary>Collect garbage between timed rounds so a collection caused by one round is not charged to the next.</summary>
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private sealed record UtteranceTimes(double FirstAudioMilliseconds, double TotalMilliseconds, double? SessionFirstAudioMilliseconds, double AudioMilliseconds);

}
