namespace Sawt.Inference.Decoding;

/// <summary>How a <see cref="DecoderBatcher"/> groups decoder calls from many sessions into one graph call.</summary>
public sealed record DecoderBatchingOptions
{
    /// <summary>Most rows in one graph call. 1 turns batching off (every chunk runs alone, still bounded below).</summary>
    public int MaxBatchSize { get; init; } = 8;

    /// <summary>
    /// Longest a chunk waits for company of its shape before it runs anyway (0: never waits; a chunk still joins
    /// others that arrived while every slot was busy).
    /// </summary>
    public TimeSpan MaxBatchWait { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Graph calls running at once; further ready batches wait for a slot (and keep gathering rows meanwhile).</summary>
    public int MaxConcurrentBatches { get; init; } = 4;

    /// <summary>Chunks waiting or running at most; beyond, a chunk is refused with <c>busy</c>.</summary>
    public int MaxQueuedRows { get; init; } = 256;

    public void Validate()
    {
        if (MaxBatchSize < 1 || MaxConcurrentBatches < 1 || MaxQueuedRows < 1 || MaxBatchWait < TimeSpan.Zero || MaxBatchWait > TimeSpan.FromSeconds(1))
        {
            throw new InferenceException(InferenceErrorCode.InvalidOptions,
                "Decoder batching needs MaxBatchSize, MaxConcurrentBatches and MaxQueuedRows of at least 1 and a MaxBatchWait between 0 and 1 s.");
        }
    }
}
