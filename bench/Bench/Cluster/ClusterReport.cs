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
        var topologies = report.Topologies;
        var text = new StringBuilder();
        text.AppendLine("## Cluster: embedded against standalone gateway (first audio, stream hop, idle CPU), direct engine against the WebSocket (CPU)");
        text.AppendLine();
        text.AppendLine($"Command: `{command}`");
        text.AppendLine();
        text.AppendLine($"- Machine: {machine.Cpu}, {machine.LogicalCores} logical cores, {machine.Memory} RAM; {machine.OperatingSystem}");
        text.AppendLine($"- Runtime: {machine.DotNet}, ONNX Runtime {machine.OnnxRuntime}, CPU execution provider, {s.IntraOpThreads} intra-op threads{(BuildInfo.IsDebugBuild ? ", **Debug build**" : ", Release build")}; " +
            "the bench process (and so the embedded cluster) uses workstation GC, the silo and gateway processes server GC (their projects' setting)");
        text.AppendLine($"- Date: {machine.Date:yyyy-MM-dd HH:mm} UTC; load average (1, 5, 15 min) {machine.LoadAverage} at start, {loadAtEnd} at end");
        if (MachineFacts.IsBusy(machine.LoadAverage, machine.LogicalCores) || MachineFacts.IsBusy(loadAtEnd, machine.LogicalCores))
        {
            text.AppendLine("- **Caution:** the load average exceeded the core count, so other work shared the CPU during the run; treat these times as pessimistic and noisy.");
        }

        text.AppendLine($"- Bundle: {s.Bundle.Label}{(report.GenerateSeconds is { } g ? $", generated in {g:F1} s" : string.Empty)}; the same files serve every engine (one CPU worker engine per cluster, the direct engine).");
        text.AppendLine("- Texts: the typical sentences, alternating by utterance and round: " +
            string.Join("; ", Engine.BenchTexts.Typical.Select(t => $"{t.Language} ({t.Text.Length} chars)")) +
            ". Utterance k uses seed 4242 + k and sampling defaults, so every path generates the same tokens.");
        text.AppendLine("- Topologies, one after the other on loopback: **embedded**, the embedded default (`EmbeddedClusterHost`: one silo, CPU workers, gateway on Kestrel) in the bench process; " +
            "**standalone**, the production shape: `dotnet Sawt.Silo.dll --Sawt:Cluster:EmbeddedGateway false` and `dotnet Sawt.Gateway.dll` as two child processes, ready when the gateway's `/readyz` answers 200. " +
            "Streams: the long-poll provider with its defaults (`Sawt:Streams`).");
        text.AppendLine($"- Method, per topology: a warm-up (each text alone, one round of {s.LoadContexts} contexts, one hop session), then {s.Repeat} timed rounds per first-audio row " +
            $"and {s.Repeat * 2} per hop row, then the bench's own Orleans client (standalone) is stopped, {s.Settle.TotalSeconds:0} s pass with nothing sent, and idle CPU is read over {s.Idle.TotalSeconds:0} s. " +
            "Every utterance or chunk of every round is one sample; median and p90 over them.");
        text.AppendLine();

        text.AppendLine("### Time to first audio through the WebSocket");
        text.AppendLine();
        text.AppendLine("N contexts over the given loopback sockets to `/v1/ws` (context k on socket k mod sockets, sockets connected before the clock starts), " +
            "each timed from its own `synthesize` send to its first non-empty binary audio frame received. " +
            "In the standalone topology every session event crosses the silo-to-gateway connection (the stream hop below) and the gateway's calls cross it the other way.");
        text.AppendLine();
        text.AppendLine("| Contexts | Sockets | " + string.Join(" | ", topologies.Select(t => $"{t.Name} (median) | p90")) + " |");
        text.AppendLine("|--:|--:|" + string.Concat(topologies.Select(_ => "--:|--:|")));
        for (var row = 0; row < topologies[0].FirstAudio.Count; row++)
        {
            var first = topologies[0].FirstAudio[row];
            text.AppendLine($"| {first.Concurrency} | {first.Sockets} | " +
                string.Join(" | ", topologies.Select(t => $"{Ms(t.FirstAudio[row].FirstAudio.Median)} | {Ms(t.FirstAudio[row].FirstAudio.P90)}")) + " |");
        }

        text.AppendLine();
        text.AppendLine("### Stream hop: session publish to subscriber");
        text.AppendLine();
        text.AppendLine("N sessions at a time started on `ITtsSessionGrain`, each subscribed to through a cluster client placed where the topology's gateway subscribes: " +
            "embedded, the silo's own `IClusterClient` (co-hosted, like the embedded gateway); standalone, an Orleans client in the bench process " +
            "(`UseLocalhostClustering` + `AddLongPollStreams`, the standalone gateway's configuration), so each event crosses a process boundary. " +
            "Per `AudioChunkEvent`: its receipt time minus its `PublishedAt`, both read from the machine's wall clock (one clock, whichever process reads it; " +
            "microsecond resolution), so each hop is measured, not bounded: publish call, queue grain, pulling agent, delivery to the subscriber.");
        text.AppendLine();
        text.AppendLine("| Sessions | Chunks | " + string.Join(" | ", topologies.Select(t => $"{t.Name} hop (median) | p90 | max")) + " |");
        text.AppendLine("|--:|--:|" + string.Concat(topologies.Select(_ => "--:|--:|--:|")));
        for (var row = 0; row < topologies[0].Hops.Count; row++)
        {
            var hops = topologies.Select(t => t.Hops[row]).ToArray();
            text.AppendLine($"| {hops[0].Concurrency} | {string.Join(" / ", hops.Select(h => h.Chunks).Distinct())} | " +
                string.Join(" | ", hops.Select(h => $"{Ms(h.Hop.Median)} | {Ms(h.Hop.P90)} | {Ms(h.Hop.Max)}")) + " |");
        }

        var idle = topologies.SelectMany(t => t.Idle.Select(i => (t.Name, Cpu: i))).ToArray();
        text.AppendLine();
        text.AppendLine("### Idle CPU");
        text.AppendLine();
        text.AppendLine("User plus kernel CPU time of each process (all threads) over the idle window, divided by the window's wall time: 100 % is one core busy throughout. " +
            "Embedded, the process is the bench itself, hosting the silo and gateway with nothing else running in it (its direct engine disposed, no sockets open); " +
            "standalone, the silo and the gateway processes, read from the kernel's per-process counters. " +
            "The counters tick in scheduler clock ticks (10 ms at the usual 100 Hz), so over the window a single figure is good to about " +
            $"{100.0 * 0.01 / Math.Max(1, s.Idle.TotalSeconds):F2} % of a core; busiest slice: the highest of the window's {idle[0].Cpu.Slices} equal slices, to tell a steady cost from bursts.");
        text.AppendLine();
        text.AppendLine("| | " + string.Join(" | ", idle.Select(i => $"{i.Name}: {i.Cpu.Process}")) + " |");
        text.AppendLine("|--|" + string.Concat(idle.Select(_ => "--:|")));
        text.AppendLine("| % of one core | " + string.Join(" | ", idle.Select(i => Percent(i.Cpu.Percent))) + " |");
        text.AppendLine("| busiest slice | " + string.Join(" | ", idle.Select(i => Percent(i.Cpu.BusiestSlicePercent))) + " |");

        if (report.Direct.Count > 0)
        {
            AppendDirectComparison(text, report);
        }

        return text.ToString();
    }

    private static void AppendDirectComparison(StringBuilder text, ClusterBenchReport report)
    {
        var s = report.Settings;
        text.AppendLine();
        text.AppendLine("### Direct engine against the WebSocket (embedded)");
        text.AppendLine();
        text.AppendLine("Direct: N concurrent `TtsEngine.StreamAsync` calls on an engine loaded in the bench process beside the embedded cluster, timed from each call. " +
            $"WebSocket: the embedded topology, N contexts over ceil(N / {s.ContextsPerSocket}) loopback sockets, timed from each `synthesize` send. " +
            "After a warm-up of both paths at the highest N, rounds alternate (direct, WebSocket, direct, ...; the idle engine waiting) so JIT tiering and load drift weigh on both alike. " +
            "First audio: the first chunk with samples (direct) or the first non-empty binary audio frame received (WebSocket). " +
            "Total: the stream's end, or `done` received. Session first audio: `done`'s `time_to_first_audio_ms`, measured by the session grain from its start. " +
            "WS / direct: ratio of medians. Audio / utterance checks both paths did the same work.");
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
    }

    private static string Percent(double value) => $"{value:F2} %";

    private static string Ratio(double numerator, double denominator) => denominator > 0 ? $"{numerator / denominator:F2}x" : "-";
}
