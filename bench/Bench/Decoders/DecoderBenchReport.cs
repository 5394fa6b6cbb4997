using Sawt.Bench.Reporting;

namespace Sawt.Bench.Decoders;

/// <summary>The decoder bench's two tables, from one run on one bundle.</summary>
internal sealed record DecoderBenchReport(DecoderBenchSettings Settings, int PromptTokens, int PromptFrames, IReadOnlyList<DecoderStepRow> Steps, IReadOnlyList<DecoderBatchRow> Batching);

/// <summary>One decoder variant: its schedule and the time of one chunk decoded alone (ms over the repeats).</summary>
internal sealed record DecoderStepRow(string Variant, string Schedule, int Steps, int EstimatorCalls, Summary MsPerChunk);

/// <summary>
/// One session count, unbatched (one row per graph call) against batched: wall time of a round, chunk throughput,
/// per-chunk latency (submit to audio) and the mean rows per graph call.
/// </summary>
internal sealed record DecoderBatchRow(int Sessions, DecoderModeResult Unbatched, DecoderModeResult Batched)
{
    public double SpeedUp => Unbatched.RoundMs.Median / Batched.RoundMs.Median;
}

internal sealed record DecoderModeResult(Summary RoundMs, double ChunksPerSecond, Summary ChunkLatencyMs, double MeanRowsPerCall);
