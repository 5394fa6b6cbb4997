using System.Text;
using Sawt.Bench.Reporting;
using static Sawt.Bench.Reporting.Durations;

namespace Sawt.Bench.Cluster;

/// <summary>Renders a <see cref="ClusterBenchReport"/> as the cluster section of docs/benchmarks.md.</summary>
internal static class ClusterReport
{
    public static string Render(ClusterBenchReport report, string command, MachineFacts machine, string loadAtEnd)
    {
        var s = report.Settings;
        var wsPeriod = s.PollPeriods[0].TotalMilliseconds;
        var text = new StringBuilder();
        text.AppendLine("## Cluster: direct engine against the WebSocket, stream hops (CPU)");
        text.AppendLine();
        text.AppendLine($"Command: `{command}`");
        text.AppendLine();
        text.AppendLine($"- Machine: {machine.Cpu}, {machine.LogicalCores} logical cores, {machine.Memory} RAM; {machine.OperatingSystem}");
        text.AppendLine($"- Runtime: {machine.DotNet}, ONNX Runtime {machine.OnnxRuntime}, CPU execution provider, {s.IntraOpThreads} intra-op threads{(BuildInfo.IsDebugBuild ? ", **Debug build**" : ", Release build")}; " +
            "the bench process uses workstation GC (the silo host's own project sets server GC)");
        text.AppendLine($"- Date: {machine.Date:yyyy-MM-dd HH:mm} UTC; load average (1, 5, 15 min) {machine.LoadAverage} at start, {loadAtEnd} at end");
        if (MachineFacts.IsBusy(machine.LoadAverage, machine.LogicalCores) || MachineFacts.IsBusy(loadAtEnd, machine.LogicalCores))
        {
            text.AppendLine("- **Caution:** the load average exceeded the core count, so other work shared the CPU during the run; treat these times as pessimistic and noisy.");
        }

        text.AppendLine($"- Bundle: {s.Size.Describe()}, generated in {report.GenerateSeconds:F1} s; the same files serve the direct engine and the cluster's one CPU worker engine.");
        text.AppendLine("- Texts: the typical sentences, alternating by utterance and round: " +
            string.Join("; ", Engine.BenchTexts.Typical.Select(t => $"{t.Language} ({t.Text.Length} chars)")) +
            ". Utterance k uses seed 4242 + k and sampling defaults on both paths, so both generate the same tokens (the audio column checks it).");
        text.AppendLine($"- Method: a warm-up on each path (each text alone, then one round at the highest concurrency), then {s.Repeat} timed rounds per row, " +
            "direct and WebSocket rounds alternating (both engines loaded, the idle one waiting); " +
            "every utterance of every round is one sample (N x rounds samples), median and p90 over them.");
        text.AppendLine();

        text.AppendLine("### Direct engine against the WebSocket");
        text.AppendLine();
        text.AppendLine("Direct: N concurrent `TtsEngine.StreamAsync` calls on an engine loaded in the bench process, timed from each call. " +
            $"WebSocket: the embedded default (`SiloProgram.Build`: one silo, CPU workers, gateway on Kestrel; stream poll period {wsPeriod:0} ms) in the same process, " +
            $"N contexts over ceil(N / {s.ContextsPerSocket}) loopback sockets, timed from each `synthesize` send. " +
            "First audio: the first chunk with samples (direct) or the first non-empty binary audio frame received (WebSocket). " +
            "Total: the stream's end, or `done` received. Session first audio: `done`'s `time_to_first_audio_ms`, measured by the session grain from its start. WS / direct: ratio of medians.");
        text.AppendLine();
        text.AppendLine("| N | Sockets | Audio / utterance | Direct first audio (median) | p90 | WS first audio (median) | p90 | WS / direct | Session first audio (median) | Direct total (median) | p90 | WS total (median) | p90 | WS / direct |");
        text.AppendLine("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var d in report.Direct)
        {
            var w = report.WebSocket.FirstOrDefault(x => x.Concurrency == d.Concurrency);
            if (w is null)
            {
                continue;
            }

            var audio = Math.Abs(w.AudioMilliseconds - d.AudioMilliseconds) < 1 ? Ms(d.AudioMilliseconds) : $"{Ms(d.AudioMilliseconds)} / {Ms(w.AudioMilliseconds)} (differ)";
            text.AppendLine($"| {d.Concurrency} | {w.Sockets} | {audio} | {Ms(d.FirstAudio.Median)} | {Ms(d.FirstAudio.P90)} | {Ms(w.FirstAudio.Median)} | {Ms(w.FirstAudio.P90)} | " +
                $"{Ratio(w.FirstAudio.Median, d.FirstAudio.Median)} | {(w.SessionFirstAudio is { } sf ? Ms(sf.Median) : "-")} | " +
                $"{Ms(d.Total.Median)} | {Ms(d.Total.P90)} | {Ms(w.Total.Median)} | {Ms(w.Total.P90)} | {Ratio(w.Total.Median, d.Total.Median)} |");
        }

        text.AppendLine();
        text.AppendLine("### Stream hop: session publish to subscriber");
        text.AppendLine();
        text.AppendLine("Sessions started on `ITtsSessionGrain` and subscribed to through the silo's own `IClusterClient` (as the co-hosted gateway subscribes), " +
            "each poll period on a freshly started embedded cluster (`Sawt:Streams:PollPeriod`; 100 ms is Orleans' default). " +
            "Per `AudioChunkEvent`: receipt time minus (session start + the event's `AtMilliseconds`), on one in-process monotonic clock. " +
            "The session's start clock is read inside `Start`, between the call and its return, so \"hop <=\" (from the call) over-estimates and " +
            "\"hop >=\" (from the return) under-estimates every hop by up to the start call's duration. " +
            "Excess: each hop over the fastest hop of the same session (needs no start time; this is the jitter the poll adds). " +
            $"{s.Repeat * 2} sessions per row; N sessions at a time. WS first audio: the WebSocket's median at N = 1 on that cluster.");
        text.AppendLine();
        text.AppendLine("| Poll period | N | Chunks | Hop <= (median) | p90 | max | Hop >= (median) | Excess (median) | p90 | max | Start call (median) | WS first audio, N = 1 |");
        text.AppendLine("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var h in report.Hops)
        {
            text.AppendLine($"| {h.PollPeriod.TotalMilliseconds:0} ms | {h.Concurrency} | {h.Chunks} | {Ms(h.Upper.Median)} | {Ms(h.Upper.P90)} | {Ms(h.Upper.Max)} | " +
                $"{Ms(h.Lower.Median)} | {Ms(h.Excess.Median)} | {Ms(h.Excess.P90)} | {Ms(h.Excess.Max)} | {Ms(h.StartCall.Median)} | " +
                $"{(h.WsFirstAudio is { } f ? Ms(f.Median) : "-")} |");
        }

        return text.ToString();
    }

    private static string Ratio(double numerator, double denominator) => denominator > 0 ? $"{numerator / denominator:F2}x" : "-";

}
