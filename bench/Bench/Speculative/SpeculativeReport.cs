using System.Globalization;
using System.Text;
using Sawt.Bench.Reporting;

namespace Sawt.Bench.Speculative;

/// <summary>Renders the speculative bench as its docs/benchmarks.md section.</summary>
internal static class SpeculativeReport
{
    public static string Render(SpeculativeBenchReport report, string command, MachineFacts machine, string loadAtEnd)
    {
        var s = report.Settings;
        var text = new StringBuilder();
        text.AppendLine("## Speculative decoding (CPU)").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `{command}`").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {machine.Cpu}, {machine.LogicalCores} logical cores, {machine.Memory}; {machine.OperatingSystem}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Runtime: {machine.DotNet}, ONNX Runtime {machine.OnnxRuntime}, CPU execution provider, {s.IntraOpThreads} intra-op threads");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Date: {machine.Date:yyyy-MM-dd HH:mm} UTC; load average {machine.LoadAverage} at start, {loadAtEnd} at end");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Method: a {s.Size.Describe()} synthetic bundle per draft agreement (the draft is {(s.DraftLayers is { } layers ? $"the target's first {layers} of {s.Size.Options.Layers} layers" : "as deep as the target")}, every weight perturbed by 1 - agreement); per batch size, one untimed full-length run of each, then {s.Repeat} runs each of plain and speculative decoding (at most {s.MaxDraftTokens} drafts per round, adapted per sequence) over the same long texts and seeds, up to {s.Tokens} tokens per sequence after the prefill (untimed); temperature {s.Temperature.ToString(CultureInfo.InvariantCulture)}, other sampling defaults (CFG 0.5: two LM rows per sequence).");
        text.AppendLine("- Acceptance: accepted drafts over verified drafts. Tokens per target call: tokens produced per speculative round (one target call each). Each round also costs k draft steps: with a draft as deep as its target they cost as much as target steps, so the speed-up is a floor; a shallower draft, like a real `_q4` draft of an fp32 target, costs a fraction of a target step.");
        if (s.Temperature == 0f)
        {
            text.AppendLine("- Greedy: the \"same tokens\" column checks that speculative decoding produced exactly the plain tokens.");
        }

        text.AppendLine();
        text.AppendLine("| Draft agreement | Batch | Plain ms/token (median) | Speculative ms/token (median) | Speed-up | Acceptance | Tokens per target call | Mean drafts per round |" + (s.Temperature == 0f ? " Same tokens |" : string.Empty));
        text.AppendLine("|--:|--:|--:|--:|--:|--:|--:|--:|" + (s.Temperature == 0f ? "---|" : string.Empty));
        foreach (var row in report.Rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {row.Agreement:F2} | {row.Batch} | {row.PlainMsPerToken.Median:F2} | {row.SpeculativeMsPerToken.Median:F2} | {row.SpeedUp:F2}x | {row.Acceptance:P0} | {row.TokensPerTargetCall:F2} | {row.MeanDraftTokens:F2} |");
            text.AppendLine(row.SameTokens is { } same ? (same ? " yes |" : " **no** |") : string.Empty);
        }

        return text.ToString();
    }
}
