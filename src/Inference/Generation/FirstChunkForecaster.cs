namespace Sawt.Inference.Generation;

/// <summary>
/// Forecasts when a newly submitted sequence would have its first chunk of tokens, from what this worker has measured:
/// step time per batch size, prefill time per newcomer count, and how long sequences run. Admission asks it before a
/// sequence is queued, so a deployment's first-audio target can be kept, or the caller told <c>busy</c> at once.
/// </summary>
/// <remarks>
/// The loop thread records measurements; submitting threads forecast. A lock keeps the two apart; it is held for
/// arithmetic only, never across a model call.
/// </remarks>
internal sealed class FirstChunkForecaster
{
    /// <summary>Weight of the newest measurement: recent load matters more than history, one outlier less than a trend.</summary>
    private const double Smoothing = 0.2;

    private readonly Lock _gate = new();
    private readonly double[] _stepMs;
    private readonly double[] _prefillMs;
    private readonly int _maxActive;
    private readonly int _maxPrefill;
    private double _meanSteps;

    public FirstChunkForecaster(int maxActive, int maxPrefill)
    {
        _maxActive = maxActive;
        _maxPrefill = maxPrefill;
        _stepMs = new double[maxActive + 1];
        _prefillMs = new double[maxPrefill + 1];
    }

    public void ObserveStep(int batch, TimeSpan elapsed) => Observe(_stepMs, batch, elapsed);

    public void ObservePrefill(int newcomers, TimeSpan elapsed) => Observe(_prefillMs, newcomers, elapsed);

    /// <summary>A sequence ended after <paramref name="steps"/> tokens (its natural length, for when busy slots free up).</summary>
    public void ObserveLength(int steps)
    {
        lock (_gate)
        {
            _meanSteps = _meanSteps == 0 ? steps : ((1 - Smoothing) * _meanSteps) + (Smoothing * steps);
        }
    }

    /// <summary>
    /// Time from now until a sequence submitted behind <paramref name="queuedAhead"/> others would have
    /// <paramref name="firstChunkTokens"/> tokens, with the active sequences having produced <paramref name="activeProgress"/>
    /// tokens each; null while a needed measurement is missing (nothing to refuse on).
    /// </summary>
    public TimeSpan? Forecast(IReadOnlyList<int> activeProgress, int queuedAhead, int firstChunkTokens)
    {
        lock (_gate)
        {
            var active = activeProgress.Count;
            var free = Math.Max(0, _maxActive - active);
            double waitMs;
            int admittedBefore;
            int group;
            if (queuedAhead < free)
            {
                // Admitted in the loop round that reaches it: each earlier round prefills a full group, then steps everyone.
                var round = queuedAhead / _maxPrefill;
                waitMs = 0;
                for (var r = 0; r < round; r++)
                {
                    var joined = Math.Min(active + ((r + 1) * _maxPrefill), _maxActive);
                    if (PrefillMs(_maxPrefill) is not { } prefill || StepMs(joined) is not { } step)
                    {
                        return null;
                    }

                    waitMs += prefill + step;
                }

                admittedBefore = active + (round * _maxPrefill);
                group = Math.Min(_maxPrefill, queuedAhead - (round * _maxPrefill) + 1);
            }
            else
            {
                // Every slot is taken: it waits until enough of the running sequences end, judged by the usual length.
                if (_meanSteps == 0 || active == 0 || StepMs(_maxActive) is not { } fullStep)
                {
                    return null;
                }

                var remaining = activeProgress.Select(done => Math.Max(1, _meanSteps - done)).Order().ToArray();
                var behind = queuedAhead - free;
                var steps = remaining[behind % active] + ((behind / active) * _meanSteps);
                waitMs = steps * fullStep;
                admittedBefore = _maxActive - 1;
                group = 1;
            }

            var batch = Math.Min(_maxActive, admittedBefore + group);
            if (PrefillMs(group) is not { } ownPrefill || (firstChunkTokens > 1 && StepMs(batch) is null))
            {
                return null;
            }

            // The prefill samples the first token; each further token is one step of the whole batch.
            var tokensMs = ownPrefill + ((firstChunkTokens - 1) * (StepMs(batch) ?? 0));
            return TimeSpan.FromMilliseconds(waitMs + tokensMs);
        }
    }

    /// <summary>Measured step time at this batch size, else interpolated between the nearest measured sizes, else scaled from the nearest below.</summary>
    internal double? StepMs(int batch) => Estimate(_stepMs, batch);

    internal double? PrefillMs(int newcomers) => Estimate(_prefillMs, newcomers);

    private static double? Estimate(double[] measured, int size)
    {
        size = Math.Clamp(size, 1, measured.Length - 1);
        if (measured[size] > 0)
        {
            return measured[size];
        }

        var below = size - 1;
        while (below >= 1 && measured[below] == 0)
        {
            below--;
        }

        var above = size + 1;
        while (above < measured.Length && measured[above] == 0)
        {
            above++;
        }

        if (below >= 1 && above < measured.Length)
        {
            var share = (double)(size - below) / (above - below);
            return measured[below] + (share * (measured[above] - measured[below]));
        }

        if (below >= 1)
        {
            // Proportional to the rows: an upper bound, since a batch shares the weight reads.
            return measured[below] * size / below;
        }

        return above < measured.Length ? measured[above] : null;
    }

    private void Observe(double[] measured, int size, TimeSpan elapsed)
    {
        if (size < 1 || size >= measured.Length)
        {
            return;
        }

        var ms = Math.Max(elapsed.TotalMilliseconds, 1e-3);
        lock (_gate)
        {
            measured[size] = measured[size] == 0 ? ms : ((1 - Smoothing) * measured[size]) + (Smoothing * ms);
        }
    }
}
