using System.Collections;
using System.Diagnostics;

namespace Sawt.EndToEnd.Tests.Telemetry;

/// <summary>
/// The collection an in-memory trace exporter writes ended spans into, with a wait for a condition over them: a test
/// waits for the spans it needs (some end after the client has its answer) without polling or sleeping.
/// </summary>
internal sealed class SpanRecorder : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];
    private readonly List<(Func<IReadOnlyList<Activity>, bool> Condition, TaskCompletionSource Met)> _waiters = [];
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public void Add(Activity item)
    {
        lock (_lock)
        {
            _spans.Add(item);
            foreach (var waiter in _waiters.Where(w => w.Condition(_spans)).ToList())
            {
                waiter.Met.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>Every span recorded once <paramref name="condition"/> holds over them; throws after <paramref name="bound"/>.</summary>
    public async Task<IReadOnlyList<Activity>> WaitAsync(Func<IReadOnlyList<Activity>, bool> condition, TimeSpan bound, CancellationToken cancellationToken)
    {
        var met = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (condition(_spans))
            {
                return [.. _spans];
            }

            _waiters.Add((condition, met));
        }

        await met.Task.WaitAsync(bound, cancellationToken);
        lock (_lock)
        {
            return [.. _spans];
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item)
    {
        lock (_lock)
        {
            return _spans.Contains(item);
        }
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_lock)
        {
            _spans.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(Activity item)
    {
        lock (_lock)
        {
            return _spans.Remove(item);
        }
    }

    public IEnumerator<Activity> GetEnumerator()
    {
        lock (_lock)
        {
            return _spans.ToList().GetEnumerator();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
