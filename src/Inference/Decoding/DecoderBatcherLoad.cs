namespace Sawt.Inference.Decoding;

/// <summary>A <see cref="DecoderBatcher"/>'s state: chunks running and waiting now, and graph calls and rows since start.</summary>
public sealed record DecoderBatcherLoad(int RunningRows, int PendingRows, long Batches, long Rows)
{
    /// <summary>Mean rows per graph call so far (0 before the first).</summary>
    public double MeanBatchSize => Batches == 0 ? 0 : (double)Rows / Batches;
}
