using Sawt.Contracts.Sessions;
using Sawt.Contracts.Workers;
using Sawt.Inference.Sampling;
using Sawt.Inference.Streaming;

namespace Sawt.Grains.Sessions;

/// <summary>
/// One segment's token batches from the T3 worker, asked for as soon as the segment is started. Until its first batch
/// of tokens has arrived nothing of the segment was heard, so a worker that went away by then is replaced and asked
/// again. A job that asked for its admission to be reported gets an empty <see cref="TokenBatch.Admitted"/> batch first:
/// <see cref="AdmittedAsync"/> completes with it, and reading skips it.
/// </summary>
internal sealed class T3TokenStream : ISegmentTokenStream
{
    private readonly WorkerChoice<IT3WorkerGrain> _t3;
    private readonly Func<IT3WorkerGrain, IAsyncEnumerator<TokenBatch>> _generate;
    private readonly CancellationToken _cancellationToken;
    private IT3WorkerGrain _worker;
    private IAsyncEnumerator<TokenBatch> _batches;
    private readonly TaskCompletionSource _admitted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task<bool>? _first;
    private string? _stopReason;

    public T3TokenStream(WorkerChoice<IT3WorkerGrain> t3, Func<IT3WorkerGrain, IAsyncEnumerator<TokenBatch>> generate, CancellationToken cancellationToken)
    {
        _t3 = t3;
        _generate = generate;
        _cancellationToken = cancellationToken;
        _worker = t3.Current;
        _batches = generate(_worker);

        // Asking for the first batch is what makes the worker submit the sequence: do it now.
        _first = FirstAsync();
    }

    /// <summary>
    /// Completes once a worker admitted the segment (its admission batch, or else its first tokens or its end); throws
    /// the refusal (<c>busy</c>) or whatever else ended the segment before that.
    /// </summary>
    public Task AdmittedAsync() => _admitted.Task;

    public bool EndedWithStopToken => _stopReason == nameof(StopReason.EndOfSpeech);

    public StopReason StopReason => Enum.TryParse<StopReason>(_stopReason, out var reason) ? reason : StopReason.None;

    public AlignmentWarnings AlignmentWarnings { get; private set; }

    // The enumerator was given its token when the segment started; a cancel reaches the worker through it.
    public async ValueTask<bool> ReadAsync(List<long> tokens, CancellationToken cancellationToken)
    {
        var moved = _first ?? _batches.MoveNextAsync().AsTask();
        _first = null;
        bool more;
        try
        {
            more = await moved;
        }
        catch (Exception ex) when (WorkerFailures.IsWorkerGone(ex) && ex is not SessionRejectedException && !_cancellationToken.IsCancellationRequested)
        {
            // Part of the segment may have been heard (or no worker was left to replace this one): the client retries.
            throw Rejections.WorkerLost("T3");
        }

        if (!more)
        {
            return false;
        }

        // Only FirstAsync reads the admission batch; later batches always carry tokens or the end.

        tokens.AddRange(_batches.Current.Tokens);
        _stopReason ??= _batches.Current.StopReason;
        if (Enum.TryParse<AlignmentWarnings>(_batches.Current.AlignmentWarnings, out var warnings))
        {
            AlignmentWarnings |= warnings;
        }

        return true;
    }

    private async Task<bool> FirstAsync()
    {
        try
        {
            while (true)
            {
                try
                {
                    // The admission batch (a replacement worker sends its own) is not the first batch of tokens.
                    while (await _batches.MoveNextAsync())
                    {
                        _admitted.TrySetResult();
                        if (!_batches.Current.Admitted)
                        {
                            return true;
                        }
                    }

                    _admitted.TrySetResult();
                    return false;
                }
                catch (Exception ex) when (WorkerFailures.IsWorkerGone(ex) && !_cancellationToken.IsCancellationRequested)
                {
                    var next = await _t3.ReplaceAsync(_worker);
                    if (next is null)
                    {
                        throw;
                    }

                    await DisposeQuietlyAsync(_batches);
                    _worker = next;
                    _batches = _generate(next);
                }
            }
        }
        catch (Exception ex)
        {
            // Whoever waits for the admission hears the same failure the first read will.
            // Read once here, so a stream nobody asked about its admission leaves no unobserved exception behind.
            _admitted.TrySetException(ex);
            _ = _admitted.Task.Exception;
            throw;
        }
    }

    private static async Task DisposeQuietlyAsync(IAsyncEnumerator<TokenBatch> batches)
    {
        try
        {
            await batches.DisposeAsync();
        }
        catch (Exception ex) when (WorkerFailures.IsWorkerGone(ex))
        {
            // The worker is gone; there is nothing left to release there.
        }
    }

    public async ValueTask DisposeAsync()
    {
        // A segment started ahead and never read still has its first request in flight; disposing the enumerator under
        // it would fault, so let it end (cancelled by now, or failed: either way nothing is left to read).
        if (_first is { } first)
        {
            _first = null;
            await ((Task)first).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }

        await _batches.DisposeAsync();
    }
}
