using System.Text;
using Sawt.Bench.Reporting;
using static Sawt.Bench.Reporting.Durations;

namespace Sawt.Bench.Voices;

/// <summary>Renders a <see cref="VoicesBenchReport"/> as the voices section of docs/benchmarks.md.</summary>
internal static class VoicesReport
{
    public static string Render(VoicesBenchReport report, string command, MachineFacts machine, string loadAtEnd)
    {
        var s = report.Settings;
        var text = new StringBuilder();
        text.AppendLine("## Voices: time to first audio with a new voice, first and second utterance, cached on another silo (Redis cluster, CPU)");
        text.AppendLine();
        text.AppendLine($"Command: `{command}`");
        text.AppendLine();
        text.AppendLine($"- Machine: {machine.Cpu}, {machine.LogicalCores} logical cores, {machine.Memory} RAM; {machine.OperatingSystem}");
        text.AppendLine($"- Runtime: {machine.DotNet}, ONNX Runtime {machine.OnnxRuntime}, CPU execution provider, {s.IntraOpThreads} intra-op thread(s) per silo's worker{(BuildInfo.IsDebugBuild ? ", **Debug build**" : ", Release build")}; {report.RedisVersion}");
        text.AppendLine($"- Date: {machine.Date:yyyy-MM-dd HH:mm} UTC; load average (1, 5, 15 min) {machine.LoadAverage} at start, {loadAtEnd} at end");
        if (MachineFacts.IsBusy(machine.LoadAverage, machine.LogicalCores) || MachineFacts.IsBusy(loadAtEnd, machine.LogicalCores))
        {
            text.AppendLine("- **Caution:** the load average exceeded the core count, so other work shared the CPU during the run; treat these times as pessimistic and noisy.");
        }

        text.AppendLine($"- Bundle: {s.Bundle.Label}{(report.GenerateSeconds is { } g ? $", generated in {g:F1} s" : string.Empty)}; one voice's conditionals in it: {report.ConditionalsBytes / 1024.0:F1} KB (float32 features and embeddings, int64 prompt tokens).");
        text.AppendLine($"- Cluster, on loopback: a `redis-server` child process (free port, `--save \"\" --appendonly no`, killed at the end), {report.Silos.Count} silos " +
            "(`SiloProgram.Build` with `--Sawt:Redis:ConnectionString`, `--Sawt:Cluster:EmbeddedGateway false`, one `cpu` device each) and a standalone gateway " +
            "(`GatewayProgram.Build`), all hosted in the bench process under one fresh cluster id; Redis holds membership, grain storage and the voice store. " +
            $"Silos: {string.Join(", ", report.Silos.Select(x => $"{report.SiloName(x)} = {x}"))}.");
        text.AppendLine($"- Voices: {s.Voices} new ones, each with its own {s.ClipSeconds:0} s, 24 kHz mono PCM16 reference clip (three sines at voice-specific frequencies under a tremolo, plus seeded noise; " +
            "voices are content-addressed, so equal clips would be one voice), uploaded with `PUT /v1/voices/{id}` (raw `audio/wav` body).");
        text.AppendLine($"- Method: a warm-up ({s.WarmUpUtterances} default-voice utterances, then one throw-away voice uploaded and spoken on every silo, so every path is compiled), then per voice: " +
            $"{s.DefaultPerVoice} default-voice utterances (the baseline), the upload, then utterances with the voice, one at a time, until it has been served on every silo and once more on a silo that had served it (at most {s.MaxUtterancesPerVoice}). " +
            $"Every utterance is the same English sentence ({Engine.BenchTexts.Typical[0].Text.Length} chars) with the same seed, over one `/v1/ws` socket, timed from its `synthesize` send to its first non-empty binary audio frame. " +
            "The serving silos are those whose T3 worker's and decoder worker's `Served` counts grew in the registry (`IWorkerRegistryGrain.List()`, polled after `done` until every worker has reported since); " +
            "the conditionals' source is read from how each silo's voice store counters (`IT3WorkerGrain.GetVoiceStoreStats()`) grew during the utterance. " +
            "Both workers look the voice up (the T3 worker once per job, the decoder worker once per decode call, so the first chunk waits for both). " +
            "The registry's picker sends consecutive sessions on an idle cluster to alternate silos, so each voice's first utterances land on both; " +
            "an upload takes a T3 pick (for the encoder) but no decoder pick, so after each upload the bench asks the registry for one more T3 pick, which keeps the two rotations in step " +
            "and a session's T3 and decoder workers on one silo. " +
            "Last, each voice once per silo, each time after every silo has dropped it from memory (`IT3WorkerGrain.ForgetVoice` on each silo, what a replaced voice's old revision gets), " +
            "standing in for restarted silos: its speaker grain has to read Redis, on its own silo or after a hop from the other.");
        text.AppendLine();

        text.AppendLine("### Time to first audio by case");
        text.AppendLine();
        text.AppendLine("Upload: the `PUT` from request to response (normalise the clip, compute the conditionals once on a T3 worker, store them in Redis, write the voice's grain state). " +
            "Session first audio: the session grain's own figure from `done`, from its start. Utterance #: which utterances with the voice (1st, 2nd, ...) fell in the row.");
        text.AppendLine();
        text.AppendLine("| Case | Conditionals from (counters) | Samples | Utterance # | First audio (median) | p90 | Session first audio (median) | Median vs default |");
        text.AppendLine("|--|--|--:|--|--:|--:|--:|--:|");
        var uploads = Summary.From(report.Uploads.Select(u => u.Milliseconds));
        text.AppendLine($"| Upload (`PUT /v1/voices/{{id}}`) | computed: {report.Uploads.Sum(u => u.Encodings)} encoding(s), {report.Uploads.Sum(u => u.RedisMisses)} Redis miss(es) for {report.Uploads.Count} uploads | {uploads.Count} | - | {Ms(uploads.Median)} | {Ms(uploads.P90)} | - | - |");
        var baseline = report.Utterances.Where(u => u.Source == ConditionalsSource.Bundle).ToArray();
        var baselineMedian = baseline.Length > 0 ? Summary.From(baseline.Select(u => u.FirstAudioMilliseconds)).Median : (double?)null;
        foreach (var row in report.Utterances.GroupBy(Case).OrderBy(g => g.Key))
        {
            var first = Summary.From(row.Select(u => u.FirstAudioMilliseconds));
            var session = Summary.From(row.Select(u => u.SessionFirstAudioMilliseconds));
            var ordinals = row.Key.Kind == UtteranceKind.Default
                ? "-"
                : string.Join(", ", row.GroupBy(u => u.Ordinal).OrderBy(g => g.Key).Select(g => $"{Ordinal(g.Key + 1)}: {g.Count()}"));
            var versus = baselineMedian is { } b && row.Key.Kind != UtteranceKind.Default ? $"{first.Median - b:+0.0;-0.0} ms" : "-";
            text.AppendLine($"| {Label(row.Key.Kind)} | {Source(row.Key.Source)} | {first.Count} | {ordinals} | {Ms(first.Median)} | {Ms(first.P90)} | {Ms(session.Median)} | {versus} |");
        }

        text.AppendLine();
        text.AppendLine("### Per voice");
        text.AppendLine();
        text.AppendLine("Computed on: the silo whose `Encodings` grew during the upload, which is where the voice's speaker grain runs and so whose memory holds the conditionals afterwards " +
            "(the encoder itself runs on whichever T3 worker the registry picked; the counter is kept where the speaker grain asked for it). " +
            "Utterances, in order: T3 silo / decoder silo, source of the conditionals, first audio.");
        text.AppendLine();
        text.AppendLine("| Voice | Upload | Computed on | Utterances |");
        text.AppendLine("|--:|--:|--|--|");
        foreach (var upload in report.Uploads)
        {
            var spoken = report.Utterances.Where(u => u.VoiceIndex == upload.Index).OrderBy(u => u.Ordinal)
                .Select(u => $"{report.SiloName(u.Silo)}/{report.SiloName(u.DecoderSilo)} {Short(u.Source)}{(u.Kind == UtteranceKind.AfterForgetElsewhere ? " after a hop" : string.Empty)} {Ms(u.FirstAudioMilliseconds)}");
            text.AppendLine($"| {upload.Index} | {Ms(upload.Milliseconds)} | {(upload.ComputedOn is { } c ? report.SiloName(c) : "?")} | {string.Join(" / ", spoken)} |");
        }

        text.AppendLine();
        text.AppendLine("### Voice store counters over the timed part");
        text.AppendLine();
        text.AppendLine("Each silo's `VoiceStoreStats` at the end minus after the warm-up. Memory hits and misses count the workers' lookups (one per T3 job, one per decode call) and the speaker grains' own; " +
            "a speaker grain asked by a worker on another silo answers from its silo's memory (a memory hit there) before it tries Redis.");
        text.AppendLine();
        text.AppendLine("| Silo | Encodings | Memory hits | Memory misses | Redis hits | Redis misses | Outages | Rejected entries |");
        text.AppendLine("|--|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var c in report.Counters)
        {
            text.AppendLine($"| {report.SiloName(c.Silo)} ({c.Silo}) | {c.Encodings} | {c.MemoryHits} | {c.MemoryMisses} | {c.RedisHits} | {c.RedisMisses} | {c.Outages} | {c.RejectedEntries} |");
        }

        var encodings = report.Counters.Sum(c => c.Encodings);
        text.AppendLine($"| **total** | **{encodings}** | {report.Counters.Sum(c => c.MemoryHits)} | {report.Counters.Sum(c => c.MemoryMisses)} | {report.Counters.Sum(c => c.RedisHits)} | " +
            $"{report.Counters.Sum(c => c.RedisMisses)} | {report.Counters.Sum(c => c.Outages)} | {report.Counters.Sum(c => c.RejectedEntries)} |");
        text.AppendLine();
        text.AppendLine(encodings == report.Uploads.Count
            ? $"Encodings: {encodings} for {report.Uploads.Count} voices, one computation per voice; no utterance recomputed a voice, on either silo."
            : $"**Encodings: {encodings} for {report.Uploads.Count} voices**: not one computation per voice; see the per-voice table.");
        text.AppendLine();
        text.AppendLine("### What a real bundle changes");
        text.AppendLine();
        text.AppendLine($"The synthetic bundle's speech encoder is tiny and its conditionals are {report.ConditionalsBytes / 1024.0:F0} KB, so computing a voice costs little more than moving its conditionals, and the upload is mostly " +
            "WAV handling, grain calls and the Redis write. The real speech encoder (the speech tokenizer and the speaker encoder run over the whole reference, at the real model's width) costs much more per voice, " +
            "and that cost lands once per voice: in the upload and in any \"computed\" row, which grow with it. " +
            "The rows that reuse a voice do not grow with the model: a silo that already holds it reads its memory, and a silo that does not gets the stored conditionals " +
            "(about 300 KB for the real model's `audio_features`, `audio_tokens`, `speaker_embeddings` and `speaker_features`) in one grain call to the speaker grain's silo, " +
            "or one Redis round trip when no silo holds it in memory (after restarts or eviction), never a recomputation. " +
            "So on a real bundle the gap between the upload and the reuse rows widens, while the gap between the cross-silo row and the in-memory rows stays about one " +
            "round trip plus the transfer of those few hundred kilobytes.");
        return text.ToString();
    }

    private readonly record struct CaseKey(UtteranceKind Kind, ConditionalsSource Source) : IComparable<CaseKey>
    {
        public int CompareTo(CaseKey other) => Kind != other.Kind ? Kind.CompareTo(other.Kind) : Source.CompareTo(other.Source);
    }

    private static CaseKey Case(VoiceUtterance u) => new(u.Kind, u.Source);

    private static string Label(UtteranceKind kind) => kind switch
    {
        UtteranceKind.Default => "Default voice (baseline)",
        UtteranceKind.FirstOnComputingSilo => "New voice, first utterance on the silo that computed it at upload (T3 and decoder there)",
        UtteranceKind.FirstOnOtherSilo => "New voice, first utterance on the other silo: cached on another silo (T3 and decoder there)",
        UtteranceKind.FirstSplit => "New voice, first use on a silo, T3 and decoder on different silos",
        UtteranceKind.Repeat => "New voice, again on silos that have used it (second or later there)",
        UtteranceKind.AfterForgetOnComputingSilo => "New voice, after every silo dropped it from memory (as after restarts), on the silo of its speaker grain",
        UtteranceKind.AfterForgetElsewhere => "New voice, after every silo dropped it from memory (as after restarts), on the other silo",
        _ => kind.ToString(),
    };

    private static string Source(ConditionalsSource source) => source switch
    {
        ConditionalsSource.Bundle => "the worker's bundle (no store lookup)",
        ConditionalsSource.LocalMemory => "the serving silo's memory (memory hits only)",
        ConditionalsSource.SpeakerSiloMemory => "the computing silo's memory: a memory miss on the serving silo, then the speaker grain's memory hit on its own silo; no Redis read, no encoding",
        ConditionalsSource.Redis => "Redis: a memory miss on the serving silo (and the speaker grain's), then a Redis hit; no encoding",
        ConditionalsSource.Computed => "computed again (an encoding during the utterance)",
        _ => "counters fit no single source (see the log)",
    };

    private static string Short(ConditionalsSource source) => source switch
    {
        ConditionalsSource.LocalMemory => "memory",
        ConditionalsSource.SpeakerSiloMemory => "other silo",
        ConditionalsSource.Redis => "Redis",
        ConditionalsSource.Computed => "computed",
        ConditionalsSource.Bundle => "bundle",
        _ => "?",
    };

    private static string Ordinal(int n) => n switch
    {
        1 => "1st",
        2 => "2nd",
        3 => "3rd",
        _ => $"{n}th",
    };
}
