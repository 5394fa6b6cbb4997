using Sawt.Contracts.Workers;
using Sawt.Inference.Sampling;
using Sawt.Inference.Streaming;

namespace Sawt.Grains.Sessions;

/// <summary>One segment's token batches from the T3 worker, asked for as soon as the segment is started.</summary>
internal sealed class T3TokenStream : ISegmentTokenStream
{
    private readonly IAsyncEnumerator<TokenBatch> _batches;
    private Task<bool>? _first;
    private string? _stopReason;

    public T3TokenStream(IAsyncEnumerator<TokenBatch> batches)
    {
        _batches = batches;

        // Asking for the first batch is what makes the worker submit the sequence: do it now.
        _first = batches.MoveNextAsync().AsTask();
    }

    public bool EndedWithStopToken => _stopReason == nameof(StopReason.EndOfSpeech);

    // The enumerator was given its token when the segment started; a cancel reaches the worker through it.
    public async ValueTask<bool> ReadAsync(List<long> tokens, CancellationToken cancellationToken)
    {
        var moved = _first ?? _batches.MoveNextAsync().AsTask();
        _first = null;
        if (!await moved)
        {
            return false;
        }

        tokens.AddRange(_batches.Current.Tokens);
        _stopReason ??= _batches.Current.StopReason;
        return true;
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
