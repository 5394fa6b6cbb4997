using System.Threading.Channels;
using Sawt.Inference.Generation;

namespace Sawt.Inference.Tests.Generation;

/// <summary>
/// The real executor behind a gate: every <see cref="Step"/> records which sequences the scheduler asked to advance,
/// then waits until the test releases it, so a test knows exactly which step is running when it acts. Prefill runs
/// ungated. Every wait ends: a held step gives way to the scheduler's shutdown, to the end of the test (failing the
/// batch rather than the loop) and to <see cref="Dispose"/>; the test's wait for a step gives way to the end of what
/// it watches.
/// </summary>
internal sealed class GatedBatchExecutor(T3BatchExecutor inner, CancellationToken testEnded) : IT3BatchExecutor, IDisposable
{
    private readonly Channel<int> _held = Channel.CreateUnbounded<int>();
    private readonly SemaphoreSlim _release = new(0);
    private readonly List<T3Sequence[]> _steps = [];
    private volatile bool _open;

    /// <summary>The sequences of each step so far, in order (step 1 first).</summary>
    public IReadOnlyList<T3Sequence[]> Steps
    {
        get
        {
            lock (_steps)
            {
                return [.. _steps];
            }
        }
    }

    public T3Sequence CreateSequence(GenerationRequest request) => inner.CreateSequence(request);

    public void Prefill(IReadOnlyList<T3Sequence> sequences, CancellationToken cancellationToken = default) =>
        inner.Prefill(sequences, cancellationToken);

    public void Release(T3Sequence sequence) => inner.Release(sequence);

    public void Step(IReadOnlyList<T3Sequence> sequences, CancellationToken cancellationToken = default)
    {
        int number;
        lock (_steps)
        {
            _steps.Add([.. sequences]);
            number = _steps.Count;
        }

        if (!_open)
        {
            _held.Writer.TryWrite(number);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, testEnded);
            try
            {
                _release.Wait(either.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The test ended with this step held: fail the batch (the loop lives on) rather than the loop's thread.
                throw new InferenceException(InferenceErrorCode.RuntimeFailure, "The test ended while a step was held.");
            }
        }

        inner.Step(sequences, cancellationToken);
    }

    /// <summary>
    /// Waits until the loop holds its next step and returns its number. Fails when <paramref name="ending"/> ends
    /// first (what the test watches finished or failed, so no step may ever come).
    /// </summary>
    public async Task<int> NextHeldStepAsync(Task ending)
    {
        var next = _held.Reader.ReadAsync(testEnded).AsTask();
        if (await Task.WhenAny(next, ending) != next)
        {
            Assert.Fail($"No further step was held: the watched generation ended first ({ending.Status}).");
        }

        return await next;
    }

    /// <summary>Lets the held step run.</summary>
    public void Release() => _release.Release();

    /// <summary>From now on steps run without waiting (they are still recorded); a step held now is released.</summary>
    public void Open()
    {
        _open = true;
        _release.Release();
        _held.Writer.TryComplete();
    }

    /// <summary>Opens the gate for good, so a failed test never leaves the scheduler's loop waiting.</summary>
    public void Dispose() => Open();
}
