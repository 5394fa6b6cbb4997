using Microsoft.Extensions.Time.Testing;
using Sawt.Inference.Generation;

namespace Sawt.Inference.Tests.Generation;

/// <summary>
/// An executor whose calls take a fixed time on a fake clock: <paramref name="prefillMs"/> per prefill call and
/// <paramref name="stepMsPerRow"/> per row of a step, so what the scheduler measures is exactly this cost model.
/// </summary>
internal sealed class ClockedExecutor(IT3BatchExecutor inner, FakeTimeProvider clock, double prefillMs, double stepMsPerRow) : IT3BatchExecutor
{
    public T3Sequence CreateSequence(GenerationRequest request) => inner.CreateSequence(request);

    public void Prefill(IReadOnlyList<T3Sequence> sequences, CancellationToken cancellationToken = default)
    {
        clock.Advance(TimeSpan.FromMilliseconds(prefillMs));
        inner.Prefill(sequences, cancellationToken);
    }

    public void Step(IReadOnlyList<T3Sequence> sequences, CancellationToken cancellationToken = default)
    {
        clock.Advance(TimeSpan.FromMilliseconds(stepMsPerRow * sequences.Count));
        inner.Step(sequences, cancellationToken);
    }

    public void Release(T3Sequence sequence) => inner.Release(sequence);
}
