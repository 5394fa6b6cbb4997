using System.Text;
using Sawt.Bench.Reporting;
using Sawt.Inference.Sampling;
using static Sawt.Bench.Reporting.Durations;

namespace Sawt.Bench.Engine;

/// <summary>Renders an <see cref="EngineBenchReport"/> as the engine section of docs/benchmarks.md.</summary>
internal static class EngineReport
{
    public static string Render(EngineBenchReport report, string command, MachineFacts machine, string loadAtEnd)
    {
        var s = report.Settings;
        var sampling = new SamplingOptions();
        var text = new StringBuilder();
        text.AppendLine("## Engine (CPU)");
        text.AppendLine();
        text.AppendLine($"Command: `{command}`");
        text.AppendLine();
        text.AppendLine($"- Machine: {machine.Cpu}, {machine.LogicalCores} logical cores, {machine.Memory} RAM; {machine.OperatingSystem}");
        text.AppendLine($"- Runtime: {machine.DotNet}, ONNX Runtime {machine.OnnxRuntime}, CPU execution provider, {s.IntraOpThreads} intra-op threads{(BuildInfo.IsDebugBuild ? ", **Debug build**" : ", Release build")}");
        text.AppendLine($"- Date: {machine.Date:yyyy-MM-dd HH:mm} UTC; load average (1, 5, 15 min) {machine.LoadAverage} at start, {loadAtEnd} at end");
        if (MachineFacts.IsBusy(machine.LoadAverage, machine.LogicalCores) || MachineFacts.IsBusy(loadAtEnd, machine.LogicalCores))
        {
            text.AppendLine("- **Caution:** the load average exceeded the core count, so other work shared the CPU during the run; treat these times as pessimistic and noisy.");
        }

        text.AppendLine($"- Method: warm-up (one utterance; then per batch size one full-length untimed run of the engine and of the raw loop), then {s.Repeat} timed runs per row, engine and raw loop in turns; median and p90 over the runs. " +
            $"Sampling defaults (temperature {sampling.Temperature}, min-p {sampling.MinP ?? TokenSampler.MultilingualDefaultMinP}, repetition penalty {sampling.RepetitionPenalty}, CFG {sampling.CfgWeight}: " +
            "two LM rows per sequence) with fixed seeds.");
        text.AppendLine("- Bundles: " + string.Join("; ", report.Bundles.Select(b =>
            $"{b.Description}, {(b.GenerateSeconds is { } g ? $"generated in {g:F1} s, " : string.Empty)}loaded with the default voice encoded in {b.LoadSeconds:F1} s")));
        text.AppendLine();

        text.AppendLine("### Time to first token");
        text.AppendLine();
        text.AppendLine("Prefill of one typical sentence (voice conditioning + text template, both CFG rows) and the first sampled token.");
        text.AppendLine();
        text.AppendLine("| Bundle | Language | Chars | Text ids | Prefill positions | Median | p90 |");
        text.AppendLine("|---|---|--:|--:|--:|--:|--:|");
        foreach (var b in report.Bundles)
        {
            foreach (var m in b.FirstToken)
            {
                text.AppendLine($"| {b.Name} | {m.Language} | {m.Characters} | {m.TextIds} | {m.PrefillPositions} x {m.Rows} rows | {Ms(m.Milliseconds.Median)} | {Ms(m.Milliseconds.P90)} |");
            }
        }

        text.AppendLine();
        text.AppendLine("### Decode steps");
        text.AppendLine();
        text.AppendLine($"{s.Steps} timed steps (`T3BatchExecutor.Step`: embed, LM call with the KV cache, sampling) over a batch of long " +
            "paragraphs alternating English and Arabic, after a batched prefill (its time is its own column, not part of the throughput). Tokens/s counts tokens produced; " +
            "its p90 column is the throughput of the p90 (slow) run; first / last 1/8 are the mean step times at the start and end of the window (medians over runs), showing how step cost grows with the cache; \"vs batch 1\" is median tokens/s over batch 1's of the same loop.");
        text.AppendLine();
        text.AppendLine($"\"raw ORT\" rows: a bare ONNX Runtime loop on the same `language_model` session (same graph and session options) with as many LM rows as the engine row: " +
            "a prefill of seeded random embeddings as long as the engine's padded prefill, then per step one random embedding row per LM row, an all-ones attention mask one column longer, " +
            "and the previous step's `present.L.key/value` values bound back as `past_key_values.L.key/value` by name (IO binding, outputs left on the provider's device); " +
            "no `embed_tokens`, no sampling, no host copy of the cache. It produces one token per sequence per step, the engine's upper bound. " +
            "Engine overhead per step = engine ms/step - raw ms/step (medians); engine / raw = ms per token of the engine over the raw loop's (the issue's goal at batch 1: at most 1.10x).");
        text.AppendLine();
        text.AppendLine("| Bundle | Loop | Batch | LM rows | Prefill (median) | ms/step (median) | ms/step (p90) | First / last 1/8 ms/step | ms/token (median) | Tokens/s (median) | Tokens/s (p90 run) | vs batch 1 | Engine overhead per step | Engine / raw per token | Stopped early |");
        text.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var b in report.Bundles)
        {
            var engineSingle = b.Decode.FirstOrDefault(d => d.Batch == 1) is { } one ? PerSecond(one.MillisecondsPerToken.Median) : (double?)null;
            var rawSingle = b.RawLoop.FirstOrDefault(d => d.Batch == 1) is { } rawOne ? PerSecond(rawOne.MillisecondsPerToken.Median) : (double?)null;
            var overhead = b.Overhead;
            foreach (var batch in b.Decode.Select(d => d.Batch).Concat(b.RawLoop.Select(r => r.Batch)).Distinct().Order())
            {
                if (b.Decode.FirstOrDefault(d => d.Batch == batch) is { } m)
                {
                    var perSecond = PerSecond(m.MillisecondsPerToken.Median);
                    var pair = overhead.FirstOrDefault(o => o.Batch == batch);
                    text.AppendLine($"| {b.Name} | engine | {m.Batch} | {m.Rows} | {Ms(m.PrefillMilliseconds.Median)} | {m.MillisecondsPerStep.Median:F2} | {m.MillisecondsPerStep.P90:F2} | " +
                        $"{m.EarlyMillisecondsPerStep.Median:F2} / {m.LateMillisecondsPerStep.Median:F2} | {m.MillisecondsPerToken.Median:F2} | " +
                        $"{perSecond:F0} | {PerSecond(m.MillisecondsPerToken.P90):F0} | {Scaling(perSecond, engineSingle)} | " +
                        $"{(pair is null ? "-" : $"{pair.OverheadMillisecondsPerStep:F2} ms")} | {(pair is null ? "-" : $"{pair.TimePerTokenRatio:F2}x")} | {Stopped(m)} |");
                }

                if (b.RawLoop.FirstOrDefault(r => r.Batch == batch) is { } raw)
                {
                    var perSecond = PerSecond(raw.MillisecondsPerToken.Median);
                    text.AppendLine($"| {b.Name} | raw ORT | {raw.Batch} | {raw.Rows} | {Ms(raw.PrefillMilliseconds.Median)} | {raw.MillisecondsPerStep.Median:F2} | {raw.MillisecondsPerStep.P90:F2} | " +
                        $"{raw.EarlyMillisecondsPerStep.Median:F2} / {raw.LateMillisecondsPerStep.Median:F2} | {raw.MillisecondsPerToken.Median:F2} | " +
                        $"{perSecond:F0} | {PerSecond(raw.MillisecondsPerToken.P90):F0} | {Scaling(perSecond, rawSingle)} | - | - | - |");
                }
            }
        }

        text.AppendLine();
        text.AppendLine("### Speech decoder and whole utterance");
        text.AppendLine();
        text.AppendLine("`conditional_decoder` on 100 speech tokens after the default voice's prompt tokens; then one typical sentence through " +
            "`TtsEngine.SynthesizeAsync` (generation until STOP, then decoding). RTF = (generation + decode) / audio duration; below 1 is faster than real time. " +
            "A synthetic bundle's decoder is a tone generator with no weights (the same size for every synthetic bundle), so its time there is the session-call " +
            "overhead, not the cost of the real flow-matching decoder and vocoder (which a real bundle given with --model does run).");
        text.AppendLine();
        text.AppendLine("| Bundle | Decoder per 100 tokens (median) | p90 | Prompt tokens |");
        text.AppendLine("|---|--:|--:|--:|");
        foreach (var b in report.Bundles)
        {
            text.AppendLine($"| {b.Name} | {Ms(b.Decoder.Milliseconds.Median)} | {Ms(b.Decoder.Milliseconds.P90)} | {b.Decoder.PromptTokens} |");
        }

        text.AppendLine();
        text.AppendLine("| Bundle | Language | Speech tokens | Audio | Stop | First token (median) | Generation (median) | Decode (median) | RTF (median) | RTF (p90) |");
        text.AppendLine("|---|---|--:|--:|---|--:|--:|--:|--:|--:|");
        foreach (var b in report.Bundles)
        {
            foreach (var m in b.Utterances)
            {
                text.AppendLine($"| {b.Name} | {m.Language} | {m.SpeechTokens} | {m.AudioSeconds:F2} s | {m.StopReason} | {Ms(m.FirstTokenMilliseconds.Median)} | " +
                    $"{Ms(m.GenerationMilliseconds.Median)} | {Ms(m.DecodeMilliseconds.Median)} | {m.RealTimeFactor.Median:F3} | {m.RealTimeFactor.P90:F3} |");
            }
        }

        return text.ToString();
    }

    private static string Stopped(DecodeMeasurement m)
    {
        var reasons = string.Join(", ", m.StoppedEarly.GroupBy(r => r).Select(g => $"{g.Count()} {g.Key}"));
        return m.StoppedEarly.Count == 0 ? $"0 of {m.SequencesRun}" : $"{m.StoppedEarly.Count} of {m.SequencesRun} ({reasons})";
    }

    private static string Scaling(double perSecond, double? single) => single is > 0 ? $"{perSecond / single.Value:F2}x" : "-";

    private static double PerSecond(double millisecondsPerToken) => millisecondsPerToken > 0 ? 1000 / millisecondsPerToken : 0;
}
