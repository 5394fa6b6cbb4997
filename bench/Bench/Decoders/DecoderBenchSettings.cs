namespace Sawt.Bench.Decoders;

/// <summary>What the decoder bench measures: time per chunk per step count, and batched against unbatched calls per session count.</summary>
internal sealed record DecoderBenchSettings
{
    /// <summary>Tokens per chunk (a steady-state chunk: 12 context tokens and 25 new ones).</summary>
    public int ChunkTokens { get; init; } = 37;

    /// <summary>Timed decoder calls per variant in the step-count table.</summary>
    public int Repeat { get; init; } = 5;

    /// <summary>Concurrent sessions in the batching table.</summary>
    public int[] Sessions { get; init; } = [1, 8, 32];

    /// <summary>Chunks each session decodes one after another in a round.</summary>
    public int ChunksPerSession { get; init; } = 4;

    /// <summary>Timed rounds per session count and mode.</summary>
    public int Rounds { get; init; } = 2;

    /// <summary>Rows per graph call when batched (the worker's default).</summary>
    public int MaxBatchSize { get; init; } = 8;

    public TimeSpan MaxBatchWait { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Graph calls at once, batched or not (the worker's <c>MaxConcurrentDecodes</c>).</summary>
    public int MaxConcurrentCalls { get; init; } = 4;

    /// <summary>Width of the synthetic decoder's estimator (its latent has the real 80 mel channels).</summary>
    public int DecoderHiddenSize { get; init; } = 256;

    public int IntraOpThreads { get; init; } = Environment.ProcessorCount;
}
