using System.Text;
using Sawt.Bench.Reporting;
using Sawt.Inference.Streaming;
using static Sawt.Bench.Reporting.Durations;

namespace Sawt.Bench.Streaming;

/// <summary>Renders a <see cref="StreamingBenchReport"/> as the streaming section of docs/benchmarks.md.</summary>
internal static class StreamingReport
{
    public static string Render(StreamingBenchReport report, string command, MachineFacts machine, string loadAtEnd)
    {
        var s = report.Settings;
        var defaults = new StreamingOptions();
        var defaultName = StreamingBenchSettings.Describe(StreamingBenchSettings.DefaultSchedule);
        var text = new StringBuilder();
        text.AppendLine("## Streaming (CPU)");
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

        text.AppendLine($"- Method: warm-up (each text streamed once, a short text in one call and through an incremental context), then {s.Repeat} timed runs per row; median and p90 over the runs. " +
            $"Sampling defaults with one fixed seed, so every run of a row generates the same tokens. Streaming defaults besides the schedule: {defaults.ContextTokens} context tokens, " +
            $"{defaults.HoldbackTokens} held back, {defaults.CrossFadeMilliseconds:0} ms cross-fade, no sentence pause.");
        text.AppendLine("- Texts: two-sentence replies, streamed sentence by sentence: " +
            string.Join("; ", Engine.BenchTexts.TwoSentences.Select(t => $"{t.Language} ({t.Text.Length} chars) \"{t.Text}\"")));
        text.AppendLine("- Bundles: " + string.Join("; ", report.Bundles.Select(b =>
            $"{b.Description}, {(b.GenerateSeconds is { } g ? $"generated in {g:F1} s, " : string.Empty)}loaded with the default voice encoded in {b.LoadSeconds:F1} s")));
        text.AppendLine("- A synthetic bundle's decoder is a weightless tone generator, so decoder calls cost almost nothing there; with a real bundle's decoder " +
            "(flow matching and vocoder) each chunk costs more and small first chunks matter more.");
        text.AppendLine();

        text.AppendLine("### Chunk schedules");
        text.AppendLine();
        text.AppendLine("`TtsEngine.StreamAsync`, times seen by the consumer from the call. First audio: the first chunk carrying samples. " +
            "Gaps: between arrivals of consecutive audio chunks (mean, max, and the largest gap over the previous chunk's audio duration). " +
            "Stalls: replaying the arrivals against a player that starts at the first audio, the chunks that arrive after everything before them has played " +
            "(count and silence, medians). RTF = wall / audio. Decoder share: decoder calls' time over wall time (the decoder runs alongside generation).");
        text.AppendLine();
        text.AppendLine("| Bundle | Lang | Schedule | Sentences | Chunks | Tokens | Audio | First audio (median) | p90 | Mean gap | Max gap | Max gap / prev. chunk | Stalls | Stall time | Wall (median) | RTF (median) | RTF (p90) | Decoder share |");
        text.AppendLine("|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var b in report.Bundles)
        {
            foreach (var m in b.Schedules)
            {
                text.AppendLine($"| {b.Name} | {m.Language} | {StreamingBenchSettings.Describe(m.Schedule)} | {m.Segments} | {m.Chunks} | {m.SpeechTokens} | {m.AudioSeconds:F2} s | " +
                    $"{Ms(m.FirstAudioMilliseconds.Median)} | {Ms(m.FirstAudioMilliseconds.P90)} | {Ms(m.MeanGapMilliseconds.Median)} | {Ms(m.MaxGapMilliseconds.Median)} | " +
                    $"{m.MaxGapRatio.Median:F2} | {m.Stalls.Median:0.#} | {Ms(m.StallMilliseconds.Median)} | {Ms(m.WallMilliseconds.Median)} | " +
                    $"{m.RealTimeFactor.Median:F3} | {m.RealTimeFactor.P90:F3} | {m.DecoderShare.Median:P1} |");
            }
        }

        text.AppendLine();
        text.AppendLine("### Streaming against one call");
        text.AppendLine();
        text.AppendLine($"The same text through `TtsEngine.SynthesizeAsync` (one sequence for the whole text, then one decode): the listener hears nothing until it returns. " +
            $"Streamed first audio is the {defaultName} schedule's median from the table above.");
        text.AppendLine();
        text.AppendLine("| Bundle | Lang | Tokens | Audio | Whole audio after (median) | p90 | RTF (median) | Streamed first audio | First audio, one call / streamed |");
        text.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var b in report.Bundles)
        {
            foreach (var m in b.OneCall)
            {
                var streamed = b.Schedules.FirstOrDefault(x => x.Language == m.Language && x.Schedule.SequenceEqual(StreamingBenchSettings.DefaultSchedule));
                var first = streamed is null ? "-" : Ms(streamed.FirstAudioMilliseconds.Median);
                var ratio = streamed is { FirstAudioMilliseconds.Median: > 0 } ? $"{m.WallMilliseconds.Median / streamed.FirstAudioMilliseconds.Median:F1}x" : "-";
                text.AppendLine($"| {b.Name} | {m.Language} | {m.SpeechTokens} | {m.AudioSeconds:F2} s | {Ms(m.WallMilliseconds.Median)} | {Ms(m.WallMilliseconds.P90)} | " +
                    $"{m.RealTimeFactor.Median:F3} | {first} | {ratio} |");
            }
        }

        text.AppendLine();
        text.AppendLine("### Seams");
        text.AppendLine();
        text.AppendLine($"The {defaultName} stream against each sentence synthesized alone in one call with the same seed and joined (the stream generates one sequence " +
            "per sentence), within 20 ms of every seam (`SeamQuality.Measure`): largest sample difference, largest sample-to-sample jump beyond the reference's, " +
            "log-spectral distance. The synthetic decoder is deterministic, so this checks the chunking and cross-fade; the real decoder redraws noise per call and will differ more.");
        text.AppendLine();
        text.AppendLine("| Bundle | Lang | Seams | Max abs difference | Max excess jump | Max log-spectral distance |");
        text.AppendLine("|---|---|--:|--:|--:|--:|");
        foreach (var b in report.Bundles)
        {
            foreach (var m in b.Seams)
            {
                text.AppendLine(m.Report is { } r
                    ? $"| {b.Name} | {m.Language} | {r.Seams} | {r.MaxAbsDifference:G3} | {r.MaxExcessJump:G3} | {r.MaxLogSpectralDistanceDb:G3} dB |"
                    : $"| {b.Name} | {m.Language} | - | {m.Note} | - | - |");
            }
        }

        text.AppendLine();
        text.AppendLine("### Incremental text (LLM-like)");
        text.AppendLine();
        text.AppendLine($"`TtsEngine.CreateContext`: the text arrives in {s.PieceChars}-character pieces every {s.PieceInterval.TotalMilliseconds:0} ms (`AppendText`, then `Complete`); " +
            "time from the first piece to the first chunk with audio. The buffer speaks a sentence or a long enough clause once it ends, so the first audio cannot " +
            "come before that piece arrives (the \"first segment arrives\" column, nominal from the pace).");
        text.AppendLine();
        text.AppendLine("| Bundle | Lang | Pieces | Whole text arrives | First segment arrives | First audio (median) | p90 | After the first segment (median) |");
        text.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|");
        foreach (var b in report.Bundles)
        {
            foreach (var m in b.Incremental)
            {
                text.AppendLine($"| {b.Name} | {m.Language} | {m.Pieces} | {Ms(m.TextArrivesMilliseconds)} | {Ms(m.FirstSegmentArrivesMilliseconds)} | " +
                    $"{Ms(m.FirstAudioMilliseconds.Median)} | {Ms(m.FirstAudioMilliseconds.P90)} | {Ms(m.FirstAudioMilliseconds.Median - m.FirstSegmentArrivesMilliseconds)} |");
            }
        }

        return text.ToString();
    }

}
