namespace Sawt.Grains.Workers;

/// <summary>
/// What a session's first chunk costs at one decoder worker now: the time from its arrival at the worker to its audio
/// (waiting for a voice, a batch and a call slot, then the graph call), over the first chunks of the last
/// <see cref="Window"/>. Sessions hand the estimate to their T3 worker, which keeps the rest of the first-audio target
/// for its own part, so the decoder's share follows the decoder's load instead of a fixed allowance.
/// </summary>
/// <remarks>
/// A high percentile rather than the mean, because the target is met at a percentile. A window rather than a running
/// average, so an estimate from a burst that has passed does not outlive it: with no first chunk for a window, there is
/// no estimate and admission falls back to the configured allowance (otherwise a high estimate could keep refusing the
/// sessions whose first chunks would have brought it down). Observed on the grain, read by its load reports and by
/// metric callbacks on other threads: a lock keeps them apart, held for arithmetic only.
/// </remarks>
internal sealed class FirstChunkCosts(TimeProvider time)
{
    /// <summary>How far back first chunks count.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    /// <summary>The share of recent first chunks the estimate covers (nearest rank).</summary>
    public const double Percentile = 0.9;

    /// <summary>Most samples kept; beyond, the oldest go first (a busy worker has plenty within the window).</summary>
    public const int MaxSamples = 64;

    private readonly Lock _gate = new();
    private readonly Queue<(long At, double Milliseconds)> _samples = new();

    /// <summary>A first chunk took <paramref name="elapsed"/> from its arrival to its audio.</summary>
    public void Observe(TimeSpan elapsed)
    {
        lock (_gate)
        {
            _samples.Enqueue((time.GetTimestamp(), elapsed.TotalMilliseconds));
            while (_samples.Count > MaxSamples)
            {
                _samples.Dequeue();
            }
        }
    }

    /// <summary>The <see cref="Percentile"/> of the first chunks within the window, in milliseconds; null when there were none.</summary>
    public double? EstimateMilliseconds()
    {
        lock (_gate)
        {
            while (_samples.TryPeek(out var oldest) && time.GetElapsedTime(oldest.At) > Window)
            {
                _samples.Dequeue();
            }

            if (_samples.Count == 0)
            {
                return null;
            }

            var sorted = _samples.Select(s => s.Milliseconds).Order().ToArray();
            var rank = (int)Math.Ceiling(Percentile * sorted.Length);
            return sorted[rank - 1];
        }
    }
}
