using System.Globalization;
using System.Text;
using Sawt.Bench.Reporting;

namespace Sawt.Bench.Decoders;

/// <summary>Renders the decoder bench as its docs/benchmarks.md section.</summary>
internal static class DecoderReport
{
    public static string Render(DecoderBenchReport report, string command, MachineFacts machine, string loadAtEnd)
    {
        var s = report.Settings;
        var text = new StringBuilder();
        text.AppendLine("## Decoder stages: step count and cross-session batching (CPU)").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `{command}`").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {machine.Cpu}, {machine.LogicalCores} logical cores, {machine.Memory}; {machine.OperatingSystem}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Runtime: {machine.DotNet}, ONNX Runtime {machine.OnnxRuntime}, CPU execution provider, {s.IntraOpThreads} intra-op threads");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Date: {machine.Date:yyyy-MM-dd HH:mm} UTC; load average {machine.LoadAverage} at start, {loadAtEnd} at end{(MachineFacts.IsBusy(machine.LoadAverage, machine.LogicalCores) ? " (the machine was shared and busy: absolute times are inflated, compare rows of this run only)" : string.Empty)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Bundle: synthetic, with every decoder schedule side by side (`conditional_decoder_n4/_n6/_n10.onnx` flow matching with guidance, a MeanFlow `conditional_decoder.onnx`); each graph integrates an 80-channel flow latent over all mel frames (prompt and chunk) with its Euler steps, unrolled, each step one estimator MLP ({s.DecoderHiddenSize} wide) call, two rows under guidance. The rest (tones, context smoothing, fade) is the same for every variant, so the gaps are the steps' cost, not the real S3Gen's absolute cost.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Chunk: {s.ChunkTokens} tokens after the default voice's {report.PromptTokens} prompt tokens ({report.PromptFrames} prompt mel frames), as a steady-state streaming chunk (12 context + 25 new).");
        text.AppendLine();
        text.AppendLine("### Time per chunk against step count").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"One chunk decoded alone, {s.Repeat} timed calls per variant after one untimed call.").AppendLine();
        text.AppendLine("| Variant | Schedule | Steps | Estimator calls | ms per chunk (median) | p90 |");
        text.AppendLine("|---|---|--:|--:|--:|--:|");
        foreach (var row in report.Steps)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Variant} | {row.Schedule} | {row.Steps} | {row.EstimatorCalls} | {row.MsPerChunk.Median:F1} | {row.MsPerChunk.P90:F1} |");
        }

        text.AppendLine();
        text.AppendLine("### Batched against unbatched decoder calls").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"N sessions at once, each decoding {s.ChunksPerSession} chunks of {s.ChunkTokens} tokens one after another with the default variant (n6), through the worker's batcher: unbatched = one row per graph call, batched = up to {s.MaxBatchSize} rows of equal shape per call, a chunk waiting at most {s.MaxBatchWait.TotalMilliseconds:F0} ms for company; both at most {s.MaxConcurrentCalls} graph calls at once (the worker's `MaxConcurrentDecodes`). One untimed round, then {s.Rounds} timed rounds per row. Every chunk here has the same shape, the best case for batching: in a cluster, chunks share a shape when sessions are at the same point of the chunk schedule (10, 25, 50 new tokens plus context) with voices of equal prompt length.").AppendLine();
        text.AppendLine("| Sessions | Unbatched round ms (median) | Batched round ms (median) | Speed-up | Unbatched chunks/s | Batched chunks/s | Unbatched chunk latency ms (median / p90) | Batched chunk latency ms (median / p90) | Rows per call (batched) |");
        text.AppendLine("|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var row in report.Batching)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Sessions} | {row.Unbatched.RoundMs.Median:F0} | {row.Batched.RoundMs.Median:F0} | {row.SpeedUp:F2}x | {row.Unbatched.ChunksPerSecond:F1} | {row.Batched.ChunksPerSecond:F1} | {row.Unbatched.ChunkLatencyMs.Median:F0} / {row.Unbatched.ChunkLatencyMs.P90:F0} | {row.Batched.ChunkLatencyMs.Median:F0} / {row.Batched.ChunkLatencyMs.P90:F0} | {row.Batched.MeanRowsPerCall:F1} |");
        }

        text.AppendLine().AppendLine("Reading: a lone chunk pays the batch wait (plus the timer's granularity) for company that does not come; with many sessions, batches cut the number of graph calls and their per-call overhead and queueing. On this CPU a batch of rows costs close to the sum of its rows (the estimator's matrix products grow with the rows), so the gain is modest; on a GPU, rows fill otherwise idle lanes (not measured here: no GPU in this run).");

        return text.ToString();
    }
}
