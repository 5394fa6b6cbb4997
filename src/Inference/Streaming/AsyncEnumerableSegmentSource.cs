using System.Diagnostics.CodeAnalysis;
using Sawt.Inference.Text.Segmentation;

namespace Sawt.Inference.Streaming;

/// <summary>
/// An async sequence of segments (a whole text's list, or a context's channel) as an <see cref="ISegmentSource"/>.
/// At most one MoveNextAsync is in flight; what it found is kept until read, so asking "is there more" never loses a
/// segment and never waits.
/// </summary>
internal sealed class AsyncEnumerableSegmentSource : ISegmentSource, IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly IAsyncEnumerator<SpeechSegment> _segments;
    private Task<bool>? _pending;
    private bool _ended;

    public AsyncEnumerableSegmentSource(IAsyncEnumerable<SpeechSegment> segments, CancellationToken cancellationToken)
    {
        // Our own token also ends a wait for more text, so disposing can settle that wait (below).
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _segments = segments.GetAsyncEnumerator(_stop.Token);
    }

    public bool IsCompleted
    {
        get
        {
            Poll();
            return _ended;
        }
    }

    public bool TryRead([MaybeNullWhen(false)] out SpeechSegment segment)
    {
        Poll();
        if (_pending is { IsCompletedSuccessfully: true, Result: true })
        {
            _pending = null;
            segment = _segments.Current;
            return true;
        }

        segment = null;
        return false;
    }

    public async ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        Poll();
        if (_ended)
        {
            return false;
        }

        // The completed move stays pending until TryRead takes its segment.
        var more = await _pending!.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!more)
        {
            (_pending, _ended) = (null, true);
        }

        return more;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);

        // Disposing an async enumerator while a MoveNextAsync is in flight throws (a context whose reader left may
        // still be waiting for text), so let the cancelled wait end first.
        if (_pending is { IsCompleted: false } pending)
        {
            try
            {
                await pending.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Expected: the wait was cancelled just above.
            }
        }

        await _segments.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private void Poll()
    {
        if (_pending is null && !_ended)
        {
            _pending = _segments.MoveNextAsync().AsTask();
        }

        if (_pending is { IsCompletedSuccessfully: true, Result: false })
        {
            (_pending, _ended) = (null, true);
        }
    }
}
