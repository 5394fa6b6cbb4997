using System.Text;
using Sawt.Bench.Reporting;
using static Sawt.Bench.Reporting.Durations;

namespace Sawt.Bench.Load;

/// <summary>Renders a <see cref="LoadBenchReport"/> as the load section of docs/reliability.md.</summary>
internal static class LoadReport
{
    public static string Render(LoadBenchReport report, string command, MachineFacts machine, string loadAtEnd)
    {
        var r = report.Results;
        var text = new StringBuilder();
        text.AppendLine("## Load");
        text.AppendLine();
        text.AppendLine($"Command: `{command}`");
        text.AppendLine();
        text.AppendLine($"- Machine: {machine.Cpu}, {machine.LogicalCores} logical cores (`nproc`), {machine.Memory} RAM; {machine.OperatingSystem}; {machine.DotNet}{(BuildInfo.IsDebugBuild ? ", **Debug build**" : ", Release build")}");
        text.AppendLine($"- Date: {machine.Date:yyyy-MM-dd HH:mm} UTC; load average (1, 5, 15 min) {machine.LoadAverage} at start, {loadAtEnd} at end (the generator shares the machine with what it measures)");
        if (MachineFacts.IsBusy(machine.LoadAverage, machine.LogicalCores) || MachineFacts.IsBusy(loadAtEnd, machine.LogicalCores))
        {
            text.AppendLine("- **Caution:** the load average exceeded the core count: other work shared the CPU, so the times are pessimistic.");
        }

        text.AppendLine($"- Target: {report.Target}");
        text.AppendLine($"- Load: {report.Contexts} concurrent contexts, {report.ContextsPerSocket} per WebSocket ({report.Sockets} sockets, the .NET client), {report.Turns} utterance(s) each" +
            $"{(report.Turns > 1 ? $" with {report.ThinkMilliseconds:0} ms think time between them" : string.Empty)}, started over {report.RampSeconds:0.#} s; " +
            $"each an incremental context (`{report.Language}`, \"{report.Text}\") typed {report.WordsPerPiece} words per `text` message, {report.PieceDelayMilliseconds:0} ms apart, then `end`" +
            $"{(report.TextAtStart ? " (the first piece in the `synthesize` itself)" : string.Empty)}; " +
            $"{(report.RetryCodes.Count > 0 ? $"{string.Join(" and ", report.RetryCodes.Select(c => $"`{c}`"))} retried as a new context after the error's `retry_after_ms`, at most {report.MaxAttempts} attempts per utterance" : "no retry")}.");
        text.AppendLine($"- Wall time: {report.WallSeconds:F1} s; audio received {r.AudioSeconds:F1} s in {r.Chunks} chunks.");
        text.AppendLine();

        text.AppendLine($"**{(r.Passed ? "Passed" : "Failed")}:** {r.Completed} of {r.Utterances} utterances completed with `done` after {r.Attempts} attempts ({r.Retries} retries); {r.ViolationCount} verification failures.");
        text.AppendLine();
        text.AppendLine("| Measure | Samples | p50 | p95 | p99 | Max |");
        text.AppendLine("|---|--:|--:|--:|--:|--:|");
        Row(text, "Time to first audio, from the first `text` sent", r.TimeToFirstAudio, Ms);
        Row(text, "Time to first audio, server (`done`: session start to first audio)", r.ServerTimeToFirstAudio, Ms);
        Row(text, "Gap between consecutive audio chunks", r.InterChunkGaps, Ms);
        Row(text, "Real-time factor per utterance (audio s / wall s from first text to `done`)", r.RealTimeFactor, v => v.ToString("F2", System.Globalization.CultureInfo.InvariantCulture));
        if (r.TimeToBusy.Count > 0)
        {
            Row(text, "Time to `busy`, from the first `text` sent", r.TimeToBusy, Ms);
        }
        text.AppendLine();
        text.AppendLine("Attempts by outcome: " + Codes(r.Outcomes) + ". Errors that ended no context: " + (r.Refusals.Count == 0 ? "none" : Codes(r.Refusals)) + ".");
        if (r.Outcomes.GetValueOrDefault(Protocol.ErrorCodes.Busy) is > 0 and var busy)
        {
            text.AppendLine();
            text.AppendLine($"Of the {busy} `busy` answers, {busy - r.BusyAfterStarted} came before `started` and {r.BusyAfterStarted} after it (the session began, then its text found the worker full), " +
                $"{r.BusyAfterAudio} of them after audio had been received (a later sentence refused: the utterance cut off and started again).");
        }

        text.AppendLine();
        text.AppendLine("Verification (every frame each socket received, checked against docs/protocol.md): " +
            string.Join(", ", r.ViolationsByKind.Select(k => $"{k.Key} {k.Value}")) +
            ". Gap = a sequence number lost; Duplicate, Reorder; Pairing = an `audio` message not followed by exactly its binary frame; " +
            "Terminal = none or more than one per context; Order = `started` not first, anything after the terminal or the final chunk; " +
            "Length = the bytes received against `done`'s chunks, `audio_ms` and tokens (960 samples per token at 24 kHz, less at most one cut token per chunk); " +
            "Unexpected = a message for a context not opened on that socket.");
        if (r.Violations.Count > 0)
        {
            text.AppendLine();
            text.AppendLine($"Failures ({(r.Violations.Count < r.ViolationCount ? $"the first {r.Violations.Count} of {r.ViolationCount}" : "all")}):");
            text.AppendLine();
            foreach (var violation in r.Violations)
            {
                text.AppendLine($"- {violation}");
            }
        }

        return text.ToString();
    }

    private static void Row(StringBuilder text, string name, Distribution d, Func<double, string> format)
    {
        if (d.Count == 0)
        {
            text.AppendLine($"| {name} | 0 | - | - | - | - |");
            return;
        }

        text.AppendLine($"| {name} | {d.Count} | {format(d.P50)} | {format(d.P95)} | {format(d.P99)} | {format(d.Max)} |");
    }

    private static string Codes(IReadOnlyDictionary<string, int> codes) =>
        codes.Count == 0 ? "none" : string.Join(", ", codes.Select(c => $"`{c.Key}` {c.Value}"));
}
