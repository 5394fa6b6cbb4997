namespace Sawt.Inference.Generation;

/// <summary>
/// What <see cref="T3Scheduler"/> asks of a batch executor: make a sequence, prefill newcomers, advance the active
/// batch by one token, free a dropped sequence's cache. <see cref="T3BatchExecutor"/> is the implementation; the seam lets a test decide when each
/// step runs (and see which sequences took part) without anything test-specific in the executor or the loop.
/// Calls come from one thread (the scheduler's loop), except <see cref="CreateSequence"/>, which validates on the
/// submitting thread and touches no shared state.
/// </summary>
internal interface IT3BatchExecutor
{
    /// <inheritdoc cref="T3BatchExecutor.CreateSequence"/>
    T3Sequence CreateSequence(GenerationRequest request);

    /// <inheritdoc cref="T3BatchExecutor.Prefill"/>
    void Prefill(IReadOnlyList<T3Sequence> sequences, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="T3BatchExecutor.Step"/>
    void Step(IReadOnlyList<T3Sequence> sequences, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="T3BatchExecutor.Release"/>
    void Release(T3Sequence sequence);
}
