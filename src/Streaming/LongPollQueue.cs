namespace Sawt.Streaming;

/// <summary>
/// A bounded FIFO whose reader can wait for the next item instead of polling. Not thread-safe: its owner (a grain
/// activation) runs one turn at a time, so interleaved waits and writes never overlap.
/// </summary>
internal sealed class LongPollQueue<T>(int capacity, TimeProvider time)
{
    private readonly LinkedList<T> _items = new();
    private TaskCompletionSource? _arrived;

    public int Count => _items.Count;

    /// <summary>Appends an item and wakes every waiting reader; false when the queue is full.</summary>
    public bool TryEnqueue(T item)
    {
        if (_items.Count >= capacity)
        {
            return false;
        }

        _items.AddLast(item);
        _arrived?.TrySetResult();
        _arrived = null;
        return true;
    }

    /// <summary>
    /// Puts items a reader took but could not hand on back at the head, in their original order, so nothing is lost
    /// or reordered. May exceed the capacity: these items were already admitted.
    /// </summary>
    public void ReturnToFront(IReadOnlyList<T> items)
    {
        for (var i = items.Count - 1; i >= 0; i--)
        {
            _items.AddFirst(items[i]);
        }

        if (items.Count > 0)
        {
            _arrived?.TrySetResult();
            _arrived = null;
        }
    }

    /// <summary>
    /// Takes up to <paramref name="maxCount"/> items (any number when it is not positive). When the queue is empty,
    /// first waits up to <paramref name="wait"/> for one to arrive; returns empty when none did.
    /// </summary>
    public async Task<List<T>> DequeueAsync(int maxCount, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        if (_items.Count == 0 && wait > TimeSpan.Zero)
        {
            _arrived ??= new TaskCompletionSource();

            // An empty read is the normal case when idle: observe the timeout without throwing it.
            await _arrived.Task.WaitAsync(wait, time, cancellationToken)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            if (cancellationToken.IsCancellationRequested)
            {
                // The reader gave up: an empty read, so nothing is taken that it would drop.
                return [];
            }
        }

        var take = maxCount > 0 ? Math.Min(maxCount, _items.Count) : _items.Count;
        var result = new List<T>(take);
        for (var i = 0; i < take; i++)
        {
            result.Add(_items.First!.Value);
            _items.RemoveFirst();
        }

        return result;
    }
}
