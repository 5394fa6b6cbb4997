namespace Sawt.Inference.Decoding;

/// <summary>
/// Decides which waiting chunks run now, pure and clock-free (the batcher passes the time). A group of equal keys is
/// ready when it fills a batch or its oldest chunk has waited <see cref="DecoderBatchingOptions.MaxBatchWait"/>; ready
/// groups run oldest first, at most one batch per free slot, each of at most
/// <see cref="DecoderBatchingOptions.MaxBatchSize"/> chunks in arrival order.
/// </summary>
internal static class DecoderBatchPlanner
{
    /// <param name="pending">Waiting chunks in arrival order: their key and when they were submitted.</param>
    /// <param name="now">The current time.</param>
    /// <param name="freeSlots">Graph calls that may start now.</param>
    /// <param name="options">Batch size and wait bounds.</param>
    /// <returns>Batches to start (indices into <paramref name="pending"/>), and when to look again if nothing else happens.</returns>
    public static DecoderBatchPlan Next(IReadOnlyList<(DecoderBatchKey Key, DateTimeOffset SubmittedAt)> pending, DateTimeOffset now, int freeSlots, DecoderBatchingOptions options)
    {
        // Groups in order of their oldest member (the first seen, as pending is in arrival order).
        var groups = new List<List<int>>();
        var byKey = new Dictionary<DecoderBatchKey, List<int>>();
        for (var i = 0; i < pending.Count; i++)
        {
            if (!byKey.TryGetValue(pending[i].Key, out var group))
            {
                group = [];
                byKey[pending[i].Key] = group;
                groups.Add(group);
            }

            group.Add(i);
        }

        var batches = new List<IReadOnlyList<int>>();
        DateTimeOffset? wakeAt = null;
        foreach (var group in groups)
        {
            var start = 0;
            while (start < group.Count)
            {
                var remaining = group.Count - start;
                var deadline = pending[group[start]].SubmittedAt + options.MaxBatchWait;
                var ready = remaining >= options.MaxBatchSize || deadline <= now;
                if (!ready)
                {
                    // Not full and still within its wait: look again at its deadline.
                    wakeAt = wakeAt is null || deadline < wakeAt ? deadline : wakeAt;
                    break;
                }

                if (batches.Count == freeSlots)
                {
                    // Ready but no slot: a finishing batch wakes the loop, not the clock.
                    break;
                }

                var size = Math.Min(remaining, options.MaxBatchSize);
                batches.Add(group.GetRange(start, size));
                start += size;
            }
        }

        return new DecoderBatchPlan(batches, wakeAt);
    }
}
