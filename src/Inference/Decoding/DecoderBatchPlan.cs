namespace Sawt.Inference.Decoding;

/// <summary>What <see cref="DecoderBatchPlanner"/> decided: batches to start now and the next time to look again (null: only on news).</summary>
internal sealed record DecoderBatchPlan(IReadOnlyList<IReadOnlyList<int>> Batches, DateTimeOffset? WakeAt);
