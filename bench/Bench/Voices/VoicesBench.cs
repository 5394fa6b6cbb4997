using System.Diagnostics;
using System.Net.Http.Headers;
using Sawt.Bench.Cluster;
using Sawt.Bench.Engine;
using Sawt.Contracts.Voices;
using Sawt.Contracts.Workers;
using Sawt.Silo;

namespace Sawt.Bench.Voices;

/// <summary>
/// The voices bench: a real <c>redis-server</c>, two silos and a standalone gateway on loopback (in-process hosts),
/// one generated bundle on CPU. After a warm-up (default voice on every silo, one throw-away voice through every
/// path), per new voice: default-voice utterances (the baseline), the voice's upload through the gateway, then one
/// utterance at a time with it until it has been served on every silo and again on one that served it already. Each
/// utterance is attributed to the silo whose T3 worker's <c>Served</c> count grew, and to a source of its
/// conditionals by how the silos' voice store counters grew. Progress goes to <c>log</c>.
/// </summary>
internal sealed class VoicesBench(VoicesBenchSettings settings, TextWriter log)
{
    private const ulong Seed = 4242;
    private static readonly TimeSpan ServedBound = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan UtteranceBound = TimeSpan.FromMinutes(2);

    private readonly List<VoiceUtterance> _utterances = [];
    private IClusterClient _client = null!;
    private Dictionary<string, string> _statsWorker = [];

    public async Task<VoicesBenchReport> RunAsync(CancellationToken cancellationToken = default)
    {
        using var bundle = settings.Bundle.Prepare(log);
        await using var redis = await RedisServerProcess.StartAsync(cancellationToken).ConfigureAwait(false);
        log.WriteLine($"[voices] {redis.Version} on port {redis.Port}");
        await using var cluster = await RedisClusterHost.StartAsync(redis.ConnectionString, bundle.Directory, settings.Silos, settings.IntraOpThreads, cancellationToken: cancellationToken).ConfigureAwait(false);
        log.WriteLine($"[voices] gateway at {cluster.GatewayAddress}; ready workers on {settings.Silos} silos");
        _client = cluster.Client;

        // Every silo's voice store counters through one T3 worker on it (every worker of a silo reports the same numbers).
        var workers = await _client.GetGrain<IWorkerRegistryGrain>(0).List().ConfigureAwait(false);
        _statsWorker = workers.Where(w => w.Kind == WorkerKind.T3).GroupBy(w => w.HostSilo).ToDictionary(g => g.Key, g => g.First().WorkerKey, StringComparer.Ordinal);
        var silos = _statsWorker.Keys.Order(StringComparer.Ordinal).ToArray();
        using var http = new HttpClient { BaseAddress = cluster.GatewayAddress, Timeout = UtteranceBound };
        await using var socket = await BenchWsClient.ConnectAsync(cluster.WebSocketUri(), cancellationToken).ConfigureAwait(false);

        log.WriteLine("[voices] warming up");
        for (var k = 0; k < settings.WarmUpUtterances; k++)
        {
            await SpeakAsync(socket, null, null, k, cancellationToken).ConfigureAwait(false);
        }

        var warmUp = await UploadAsync(http, -1, "bench-warmup-" + Guid.NewGuid().ToString("N")[..8], cancellationToken).ConfigureAwait(false);
        await SpeakVoiceAsync(socket, warmUp, silos.Length, cancellationToken).ConfigureAwait(false);
        _utterances.Clear();

        // The size of one voice's conditionals in this bundle (what a cross-silo fetch or a Redis read moves), from a
        // direct encoding on a worker: the workers do not count encodings, the speaker grains do, so no counter moves.
        var payload = await _client.GetGrain<IT3WorkerGrain>(_statsWorker.Values.First()).EncodeVoice(ReferenceClips.Create(0, settings.ClipSeconds)).ConfigureAwait(false);
        var conditionalsBytes = (4L * (payload.AudioFeatures.Length + payload.SpeakerEmbedding.Length + payload.SpeakerFeatures.Length)) + (8L * payload.PromptTokens.Length);

        var start = await SnapshotAsync().ConfigureAwait(false);
        var uploads = new List<VoiceUpload>();
        for (var v = 0; v < settings.Voices; v++)
        {
            for (var k = 0; k < settings.DefaultPerVoice; k++)
            {
                await SpeakAsync(socket, null, null, k, cancellationToken).ConfigureAwait(false);
            }

            var upload = await UploadAsync(http, v, $"bench-{v}-{Guid.NewGuid().ToString("N")[..8]}", cancellationToken).ConfigureAwait(false);
            uploads.Add(upload);
            log.WriteLine($"[voices] voice {v}: upload {upload.Milliseconds:F0} ms, computed on {upload.ComputedOn ?? "?"}");
            await SpeakVoiceAsync(socket, upload, silos.Length, cancellationToken).ConfigureAwait(false);
        }

        // Then every voice once per silo after every silo dropped it from memory (the T3 workers' ForgetVoice, what a
        // replaced voice's old revision gets), standing in for restarted silos: the speaker grain has to read Redis. The
        // picker alternates silos, so one of these lands where the speaker grain runs and one on the other silo.
        foreach (var upload in uploads)
        {
            for (var r = 0; r < silos.Length; r++)
            {
                await Task.WhenAll(_statsWorker.Values.Select(key => _client.GetGrain<IT3WorkerGrain>(key).ForgetVoice(upload.VoiceId, null))).ConfigureAwait(false);
                var ordinal = _utterances.Count(u => u.VoiceIndex == upload.Index);
                await SpeakAsync(socket, upload, null, ordinal, cancellationToken, afterForget: true).ConfigureAwait(false);
            }
        }

        var end = await SnapshotAsync().ConfigureAwait(false);
        var counters = silos.Select(s => Minus(end[s], start[s])).ToArray();
        return new VoicesBenchReport(settings, bundle.GenerateSeconds, redis.Version, conditionalsBytes, silos, uploads, [.. _utterances], counters);
    }

    /// <summary>Utterances with one voice until it has been used on every silo and once more where every serving silo had used it.</summary>
    private async Task SpeakVoiceAsync(BenchWsClient socket, VoiceUpload voice, int silos, CancellationToken cancellationToken)
    {
        var servedOn = new HashSet<string>(StringComparer.Ordinal);
        var repeats = 0;
        for (var k = 0; k < settings.MaxUtterancesPerVoice && (servedOn.Count < silos || repeats == 0); k++)
        {
            var u = await SpeakAsync(socket, voice, servedOn, k, cancellationToken).ConfigureAwait(false);
            repeats += u.Kind == UtteranceKind.Repeat ? 1 : 0;
            servedOn.Add(u.Silo);
            servedOn.Add(u.DecoderSilo);
        }

        if (servedOn.Count < silos || repeats == 0)
        {
            log.WriteLine($"[voices] voice {voice.Index}: after {settings.MaxUtterancesPerVoice} utterances used on {servedOn.Count} of {silos} silos with {repeats} repeat(s); a case lacks its sample");
        }
    }

    private async Task<VoiceUpload> UploadAsync(HttpClient http, int index, string id, CancellationToken cancellationToken)
    {
        var wav = ReferenceClips.Create(index < 0 ? 999 : index, settings.ClipSeconds);
        using var content = new ByteArrayContent(wav);
        content.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        var before = await SnapshotAsync().ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        using var response = await http.PutAsync(new Uri($"/v1/voices/{id}", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT /v1/voices/{id} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
        }

        // The upload took one T3 pick (the speaker grain's encoder worker) and no decoder pick; one more T3 pick puts the
        // two rotations back in step, so each session's T3 and decoder workers land on the same silo (with two silos)
        // instead of every other voice splitting them. The pick's load estimate lasts until that worker's next report.
        _ = await _client.GetGrain<IWorkerRegistryGrain>(0).Pick(WorkerKind.T3).ConfigureAwait(false);
        var after = await SnapshotAsync().ConfigureAwait(false);
        var grown = after.Keys.Where(s => after[s].Encodings > before[s].Encodings).ToArray();
        return new VoiceUpload(
            index,
            id,
            wav.Length,
            elapsed,
            grown.Length == 1 ? grown[0] : null,
            after.Values.Sum(s => s.Encodings) - before.Values.Sum(s => s.Encodings),
            after.Values.Sum(s => s.RedisMisses) - before.Values.Sum(s => s.RedisMisses));
    }

    /// <summary>
    /// One utterance, timed from its <c>synthesize</c> send to its first non-empty binary audio frame, then attributed:
    /// the silos whose T3 and decoder <c>Served</c> counts grew (reports come about every second, so the registry is
    /// polled until every report is newer than the utterance's end), and the counters' growth on every silo during it.
    /// </summary>
    private async Task<VoiceUtterance> SpeakAsync(BenchWsClient socket, VoiceUpload? voice, HashSet<string>? servedOn, int ordinal, CancellationToken cancellationToken, bool afterForget = false)
    {
        var registry = _client.GetGrain<IWorkerRegistryGrain>(0);
        var servedBefore = ServedBySilo(await registry.List().ConfigureAwait(false));
        var before = await SnapshotAsync().ConfigureAwait(false);
        Settle();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(UtteranceBound);
        var contextId = $"u{_utterances.Count}-{ordinal}";
        var (language, text) = BenchTexts.Typical[0];
        var start = Stopwatch.GetTimestamp();
        await socket.SendAsync(
            new { type = "synthesize", context_id = contextId, text, language, voice = voice?.VoiceId ?? VoiceIds.Default, sampling = new { seed = Seed } },
            timeout.Token).ConfigureAwait(false);
        double? firstAudio = null;
        double sessionFirstAudio;
        while (true)
        {
            var message = await socket.ReceiveAsync(timeout.Token).ConfigureAwait(false);
            if (message.ContextId != contextId)
            {
                continue;
            }

            if (message.Type == "audio" && message.Audio is { Length: > 0 })
            {
                firstAudio ??= Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            else if (message.Type == "done")
            {
                sessionFirstAudio = (double)message.Json["time_to_first_audio_ms"]!;
                break;
            }
            else if (message.Type is "error" or "cancelled")
            {
                throw new InvalidOperationException($"Utterance {contextId} ended with {message.Json.ToJsonString()}.");
            }
        }

        var doneAt = DateTimeOffset.UtcNow;
        var (silo, decoderSilo) = await ServingSilosAsync(registry, servedBefore, doneAt, contextId, cancellationToken).ConfigureAwait(false);
        var after = await SnapshotAsync().ConfigureAwait(false);
        var growth = after.Keys.Order(StringComparer.Ordinal).Select(s => Minus(after[s], before[s])).ToArray();
        var used = new[] { silo, decoderSilo };
        var kind = voice is null ? UtteranceKind.Default
            : afterForget ? (silo == voice.ComputedOn && decoderSilo == silo ? UtteranceKind.AfterForgetOnComputingSilo : UtteranceKind.AfterForgetElsewhere)
            : used.All(servedOn!.Contains) ? UtteranceKind.Repeat
            : silo != decoderSilo ? UtteranceKind.FirstSplit
            : silo == voice.ComputedOn ? UtteranceKind.FirstOnComputingSilo
            : UtteranceKind.FirstOnOtherSilo;
        var utterance = new VoiceUtterance(
            voice?.Index,
            ordinal,
            silo,
            decoderSilo,
            kind,
            voice is null ? ConditionalsSource.Bundle : Classify(growth),
            firstAudio ?? throw new InvalidOperationException($"Utterance {contextId} finished without audio."),
            sessionFirstAudio,
            string.Join("; ", growth.Select(g => $"{g.Silo}: {Describe(g)}")));
        _utterances.Add(utterance);
        log.WriteLine($"[voices] {(voice is null ? "default" : $"voice {voice.Index}")} #{ordinal}: T3 on {silo}, decoder on {decoderSilo}: first audio {utterance.FirstAudioMilliseconds:F0} ms, " +
            $"{kind}, {utterance.Source}; {utterance.CounterGrowth}");
        return utterance;
    }

    /// <summary>
    /// Where the serving workers got the conditionals, by which counters grew during the utterance (every T3 and decoder
    /// lookup counts: one per T3 job, one per decode call). A speaker grain asked after a worker's memory miss counts a
    /// memory hit, a Redis hit, or a Redis miss and an encoding on its own silo, so misses with neither a Redis hit nor an
    /// encoding were answered from the speaker grain's silo's memory.
    /// </summary>
    private static ConditionalsSource Classify(IReadOnlyList<VoiceStoreStats> growth)
    {
        var misses = growth.Sum(g => g.MemoryMisses);
        var redisHits = growth.Sum(g => g.RedisHits);
        var encodings = growth.Sum(g => g.Encodings);
        var other = growth.Sum(g => g.RedisMisses + g.Outages + g.RejectedEntries);
        return (misses, redisHits, encodings, other) switch
        {
            (_, _, > 0, _) => ConditionalsSource.Computed,
            (0, 0, 0, 0) => ConditionalsSource.LocalMemory,
            (> 0, > 0, 0, 0) => ConditionalsSource.Redis,
            (> 0, 0, 0, 0) => ConditionalsSource.SpeakerSiloMemory,
            _ => ConditionalsSource.Unexplained,
        };
    }

    /// <summary>
    /// The silos whose T3 worker (by exactly one) and decoder worker (by one or more decode calls) <c>Served</c> counts
    /// grew, read once every worker's report is newer than <paramref name="doneAt"/> (so it counts the whole utterance).
    /// </summary>
    private static async Task<(string T3, string Decoder)> ServingSilosAsync(
        IWorkerRegistryGrain registry,
        IReadOnlyDictionary<(WorkerKind Kind, string Silo), long> before,
        DateTimeOffset doneAt,
        string contextId,
        CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(ServedBound.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var workers = await registry.List().ConfigureAwait(false);
            if (workers.All(w => w.ReportedAt > doneAt))
            {
                var now = ServedBySilo(workers);
                var grown = now.Where(kv => kv.Value > before.GetValueOrDefault(kv.Key)).Select(kv => (kv.Key, Delta: kv.Value - before.GetValueOrDefault(kv.Key))).ToArray();
                var t3 = grown.Where(g => g.Key.Kind == WorkerKind.T3).ToArray();
                var decoders = grown.Where(g => g.Key.Kind == WorkerKind.Decoder).ToArray();
                if (t3 is [{ Delta: 1 } one] && decoders is [var decoder])
                {
                    return (one.Key.Silo, decoder.Key.Silo);
                }

                throw new InvalidOperationException($"Utterance {contextId}: wanted one T3 job and one decoder silo, the registry's Served counts grew by " +
                    $"{string.Join(", ", grown.Select(g => $"{g.Key.Kind} on {g.Key.Silo} +{g.Delta}"))}; something else used the cluster, or a session used several decoders.");
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Utterance {contextId}: the registry had no report newer than the utterance's end from every worker within {ServedBound.TotalSeconds:0} s.");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Dictionary<(WorkerKind Kind, string Silo), long> ServedBySilo(IEnumerable<WorkerLoadReport> workers) => workers
        .GroupBy(w => (w.Kind, w.HostSilo))
        .ToDictionary(g => g.Key, g => g.Sum(w => w.Served));

    private async Task<Dictionary<string, VoiceStoreStats>> SnapshotAsync()
    {
        var stats = await Task.WhenAll(_statsWorker.Values.Select(key => _client.GetGrain<IT3WorkerGrain>(key).GetVoiceStoreStats())).ConfigureAwait(false);
        return stats.ToDictionary(s => s.Silo, StringComparer.Ordinal);
    }

    private static VoiceStoreStats Minus(VoiceStoreStats a, VoiceStoreStats b) => new(
        a.Silo,
        a.Encodings - b.Encodings,
        a.MemoryHits - b.MemoryHits,
        a.RedisHits - b.RedisHits,
        a.MemoryMisses - b.MemoryMisses,
        a.RedisMisses - b.RedisMisses,
        a.Outages - b.Outages,
        a.RejectedEntries - b.RejectedEntries);

    private static string Describe(VoiceStoreStats d)
    {
        var parts = new List<string>();
        Add(d.Encodings, "encoding");
        Add(d.MemoryHits, "memory hit");
        Add(d.MemoryMisses, "memory miss");
        Add(d.RedisHits, "Redis hit");
        Add(d.RedisMisses, "Redis miss");
        Add(d.Outages, "outage");
        Add(d.RejectedEntries, "rejected entry");
        return parts.Count == 0 ? "none" : string.Join(", ", parts);

        void Add(long count, string what)
        {
            if (count != 0)
            {
                parts.Add($"+{count} {what}");
            }
        }
    }

    /// <summary>Collect garbage before each timed utterance (the hosts share the bench's heap) so one utterance's collection is not charged to the next.</summary>
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
