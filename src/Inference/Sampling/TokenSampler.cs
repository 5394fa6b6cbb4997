namespace Sawt.Inference.Sampling;

/// <summary>
/// Draws the next speech token from one row of logits in the reference order of the model family
/// (<see cref="SamplingOrder"/>): multilingual (model-contract.md 6.1) repetition penalty, temperature, min-p, top-p,
/// softmax, multinomial draw; Turbo (6.2) temperature, top-k, top-p, repetition penalty, softmax, draw. Each step has
/// one definition both orders call. Temperature 0 is greedy (argmax after the penalty). All logit arithmetic is float32
/// and in place; classifier-free guidance (step 1) is <see cref="ApplyClassifierFreeGuidance"/>, applied by the
/// caller first. One instance belongs to one sequence: it owns the RNG stream and reuses scratch buffers, so it
/// is not thread-safe and allocates only when the logits get wider.
/// </summary>
public sealed class TokenSampler
{
    private readonly DeterministicRandom _random;
    private readonly float _temperature;
    private readonly float _minP;
    private readonly float _topP;
    private readonly float _repetitionPenalty;
    private readonly int _topK;
    private readonly SamplingOrder _order;

    // _seen[id] == _generation marks an id already penalised in the current call (avoids clearing per step).
    private int[] _seen = [];
    private int _generation;

    private int[] _candidates = [];
    private float[] _sortKeys = [];
    private int[] _sortIds = [];

    /// <summary>Validates <paramref name="options"/> (see <see cref="SamplingOptions.Validate"/>).</summary>
    /// <param name="options">The request's settings; filters left null take <paramref name="order"/>'s defaults.</param>
    /// <param name="random">This sequence's random stream.</param>
    /// <param name="order">The model family's step order (the bundle layout decides it, never the caller).</param>
    public TokenSampler(SamplingOptions options, DeterministicRandom random, SamplingOrder order = SamplingOrder.Multilingual)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        Options = options;
        _random = random;
        _order = order;
        _temperature = options.Temperature;
        _repetitionPenalty = options.RepetitionPenalty;
        if (order == SamplingOrder.Turbo)
        {
            // Turbo has no min-p step (model-contract.md 6.2).
            _minP = 0f;
            _topK = options.TopK ?? TurboDefaultTopK;
            _topP = options.TopP ?? TurboDefaultTopP;
        }
        else
        {
            _minP = options.MinP ?? MultilingualDefaultMinP;
            _topK = 0;
            _topP = options.TopP ?? 1f;
        }
    }

    /// <summary>Multilingual min-p when a request leaves it unset (model-contract.md 6.1).</summary>
    public const float MultilingualDefaultMinP = 0.05f;

    /// <summary>Turbo top-k when a request leaves it unset (model-contract.md 6.2).</summary>
    public const int TurboDefaultTopK = 1000;

    /// <summary>Turbo top-p when a request leaves it unset (model-contract.md 6.2).</summary>
    public const float TurboDefaultTopP = 0.95f;

    public SamplingOptions Options { get; }

    public SamplingOrder Order => _order;

    /// <summary>
    /// Cond + weight x (cond - uncond), element-wise in float32, written into <paramref name="cond"/>.
    /// </summary>
    public static void ApplyClassifierFreeGuidance(Span<float> cond, ReadOnlySpan<float> uncond, float weight)
    {
        if (cond.Length != uncond.Length)
        {
            throw new ArgumentException(
                $"Conditional ({cond.Length}) and unconditional ({uncond.Length}) logits differ in width.", nameof(uncond));
        }

        for (var i = 0; i < cond.Length; i++)
        {
            var difference = cond[i] - uncond[i];
            cond[i] += weight * difference;
        }
    }

    /// <summary>
    /// Processes <paramref name="logits"/> in place and returns the drawn index; dropped ids end as -infinity.
    /// <paramref name="history"/> is every token of the sequence so far (START included); each distinct id is
    /// penalised once. NaN logits count as -infinity and +infinity as <see cref="float.MaxValue"/>; a row with no
    /// finite logit throws <see cref="InferenceException"/> (<see cref="InferenceErrorCode.RuntimeFailure"/>).
    /// The draw is from exactly the vector <see cref="ProbabilitiesInto"/> writes for the same row and history.
    /// Consumes exactly one value of the RNG per call.
    /// </summary>
    public int Sample(Span<float> logits, ReadOnlySpan<long> history)
    {
        var count = Process(logits, history, out var max);
        if (_temperature == 0f)
        {
            // Greedy still advances the stream once, so a sequence's random stream is the same whatever its temperature.
            _random.NextDouble();
            return _candidates[0];
        }

        return Draw(logits, count, max);
    }

    /// <summary>
    /// The processed distribution of this row: what <see cref="Sample"/> would draw from, without drawing (the RNG
    /// does not advance). Processes <paramref name="logits"/> in place as <see cref="Sample"/> does and writes one
    /// probability per id into <paramref name="probabilities"/> (same width): exp(l - max) over the surviving ids,
    /// normalised in double, 0 for dropped ids; temperature 0 gives a one-hot vector at the greedy id. Speculative
    /// verification compares the target's and the draft's vectors (<see cref="SpeculativeAcceptance"/>).
    /// </summary>
    public void ProbabilitiesInto(Span<float> logits, ReadOnlySpan<long> history, Span<double> probabilities)
    {
        if (probabilities.Length != logits.Length)
        {
            throw new ArgumentException(
                $"The probabilities ({probabilities.Length}) and the logits ({logits.Length}) differ in width.", nameof(probabilities));
        }

        var count = Process(logits, history, out var max);
        probabilities.Clear();
        if (_temperature == 0f)
        {
            probabilities[_candidates[0]] = 1.0;
            return;
        }

        var total = 0.0;
        for (var j = 0; j < count; j++)
        {
            total += Weight(logits[_candidates[j]], max);
        }

        for (var j = 0; j < count; j++)
        {
            var id = _candidates[j];
            probabilities[id] = Weight(logits[id], max) / total;
        }
    }

    /// <summary>
    /// Draws from a processed vector (<see cref="ProbabilitiesInto"/>) with this sequence's random stream: the
    /// speculative draft's token, or the bonus token after k accepted drafts. Consumes exactly one value.
    /// </summary>
    public int Draw(ReadOnlySpan<double> probabilities) => SpeculativeAcceptance.Draw(probabilities, _random);

    /// <summary>
    /// Verifies one drafted token against the target's processed vector with this sequence's random stream
    /// (see <see cref="SpeculativeAcceptance.Verify"/>).
    /// </summary>
    public SpeculativeVerdict Verify(ReadOnlySpan<double> target, ReadOnlySpan<double> draft, int drafted) =>
        SpeculativeAcceptance.Verify(target, draft, drafted, _random);

    /// <summary>
    /// Every step before the softmax, in place, in this sampler's order. Leaves the surviving ids, in id order, in the
    /// first returned-count entries of <c>_candidates</c> and their maximum in <paramref name="max"/>; at temperature 0
    /// the one survivor is the greedy id.
    /// </summary>
    private int Process(Span<float> logits, ReadOnlySpan<long> history, out float max)
    {
        if (logits.IsEmpty)
        {
            throw new ArgumentException("The logits row is empty.", nameof(logits));
        }

        EnsureCapacity(logits.Length);
        if (_temperature == 0f)
        {
            // Filters cannot change an argmax; the penalty can, in both orders.
            ApplyRepetitionPenalty(logits, history);
            max = Greedy(logits);
            return 1;
        }

        return _order == SamplingOrder.Turbo
            ? ProcessTurbo(logits, history, out max)
            : ProcessMultilingual(logits, history, out max);
    }

    /// <summary>model-contract.md 6.1 steps 3 to 6: penalty, temperature, min-p, top-p.</summary>
    private int ProcessMultilingual(Span<float> logits, ReadOnlySpan<long> history, out float max)
    {
        ApplyRepetitionPenalty(logits, history);
        ApplyTemperature(logits);
        max = Sanitize(logits);
        var count = ApplyMinP(logits, max);
        if (_topP < 1f && count > 1)
        {
            count = ApplyTopP(logits, count);
        }

        return count;
    }

    /// <summary>model-contract.md 6.2: temperature, top-k, top-p, then the penalty on what survived.</summary>
    private int ProcessTurbo(Span<float> logits, ReadOnlySpan<long> history, out float max)
    {
        ApplyTemperature(logits);
        max = Sanitize(logits);
        var count = ApplyMinP(logits, max); // min-p is 0 here: collects every finite id as a candidate
        if (_topK > 0 && count > _topK)
        {
            count = ApplyTopK(logits, count);
        }

        if (_topP < 1f && count > 1)
        {
            count = ApplyTopP(logits, count);
        }

        // Dropped ids are -infinity, which the penalty leaves there; survivors only shrink, so the maximum is re-read.
        ApplyRepetitionPenalty(logits, history);
        max = float.NegativeInfinity;
        for (var j = 0; j < count; j++)
        {
            max = MathF.Max(max, logits[_candidates[j]]);
        }

        return count;
    }

    private void ApplyTemperature(Span<float> logits)
    {
        if (_temperature != 1f)
        {
            for (var i = 0; i < logits.Length; i++)
            {
                logits[i] /= _temperature;
            }
        }
    }

    /// <summary>
    /// Keeps the candidates whose logit is at least the k-th largest (ties at the boundary survive, as the reference
    /// TopKLogitsWarper keeps them); the rest become -infinity.
    /// </summary>
    private int ApplyTopK(Span<float> logits, int count)
    {
        var keys = _sortKeys.AsSpan(0, count);
        for (var j = 0; j < count; j++)
        {
            keys[j] = logits[_candidates[j]];
        }

        keys.Sort();
        var threshold = keys[count - _topK];
        var kept = 0;
        for (var j = 0; j < count; j++)
        {
            var id = _candidates[j];
            if (logits[id] < threshold)
            {
                logits[id] = float.NegativeInfinity;
            }
            else
            {
                _candidates[kept++] = id;
            }
        }

        return kept;
    }

    /// <summary>
    /// Temperature 0: the most likely token after the penalty (the lowest id on a tie), as OpenAI-style APIs and the
    /// public ONNX scripts mean it; min-p and top-p cannot change an argmax. Every other id ends as -infinity (the
    /// processed distribution is that one token), and the greedy id becomes the only candidate.
    /// </summary>
    private float Greedy(Span<float> logits)
    {
        var max = Sanitize(logits);
        var best = logits.IndexOf(max);
        logits.Fill(float.NegativeInfinity);
        logits[best] = max;
        _candidates[0] = best;
        return max;
    }

    /// <summary>Unnormalised probability of a surviving logit; the one definition Sample and ProbabilitiesInto share.</summary>
    private static float Weight(float logit, float max) => MathF.Exp(logit - max);

    private void ApplyRepetitionPenalty(Span<float> logits, ReadOnlySpan<long> history)
    {
        if (_repetitionPenalty == 1f || history.IsEmpty)
        {
            return;
        }

        if (++_generation == int.MaxValue)
        {
            Array.Clear(_seen);
            _generation = 1;
        }

        var penalty = _repetitionPenalty;
        foreach (var token in history)
        {
            if ((ulong)token >= (ulong)logits.Length)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(history), token, $"History token {token} is outside the logits row of width {logits.Length}.");
            }

            var id = (int)token;
            if (_seen[id] == _generation)
            {
                continue;
            }

            _seen[id] = _generation;
            var value = logits[id];
            logits[id] = value < 0f ? value * penalty : value / penalty;
        }
    }

    /// <summary>NaN becomes -infinity, +infinity becomes float.MaxValue; returns the row maximum.</summary>
    private static float Sanitize(Span<float> logits)
    {
        var max = float.NegativeInfinity;
        for (var i = 0; i < logits.Length; i++)
        {
            var value = logits[i];
            if (float.IsNaN(value))
            {
                logits[i] = float.NegativeInfinity;
                continue;
            }

            if (float.IsPositiveInfinity(value))
            {
                value = float.MaxValue;
                logits[i] = value;
            }

            if (value > max)
            {
                max = value;
            }
        }

        if (float.IsNegativeInfinity(max))
        {
            throw new InferenceException(
                InferenceErrorCode.RuntimeFailure,
                $"The model returned no finite logit in a row of {logits.Length}; nothing can be sampled.");
        }

        return max;
    }

    /// <summary>
    /// Drops ids whose probability is below min_p x the top probability, i.e. exp(l - max) &lt; min_p (the
    /// softmax denominator cancels); the top id always survives. Collects survivors, in id order, as candidates.
    /// </summary>
    private int ApplyMinP(Span<float> logits, float max)
    {
        var count = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            var value = logits[i];
            if (float.IsNegativeInfinity(value))
            {
                continue;
            }

            if (_minP > 0f && MathF.Exp(value - max) < _minP)
            {
                logits[i] = float.NegativeInfinity;
                continue;
            }

            _candidates[count++] = i;
        }

        return count;
    }

    /// <summary>
    /// Sorts candidates by ascending logit, takes the softmax cumulative sum and drops the prefix whose sum is
    /// at most 1 - top_p, always keeping the top one (as the reference TopPLogitsWarper does).
    /// </summary>
    private int ApplyTopP(Span<float> logits, int count)
    {
        var keys = _sortKeys.AsSpan(0, count);
        var ids = _sortIds.AsSpan(0, count);
        for (var j = 0; j < count; j++)
        {
            ids[j] = _candidates[j];
            keys[j] = logits[ids[j]];
        }

        keys.Sort(ids);
        var top = keys[count - 1];
        var sum = 0f;
        for (var j = 0; j < count; j++)
        {
            sum += MathF.Exp(keys[j] - top);
        }

        var threshold = 1f - _topP;
        var cumulative = 0f;
        for (var j = 0; j < count - 1; j++)
        {
            cumulative += MathF.Exp(keys[j] - top) / sum;
            if (cumulative > threshold)
            {
                break;
            }

            logits[ids[j]] = float.NegativeInfinity;
        }

        var kept = 0;
        for (var j = 0; j < count; j++)
        {
            var id = _candidates[j];
            if (!float.IsNegativeInfinity(logits[id]))
            {
                _candidates[kept++] = id;
            }
        }

        return kept;
    }

    private int Draw(ReadOnlySpan<float> logits, int count, float max)
    {
        var total = 0.0;
        for (var j = 0; j < count; j++)
        {
            total += Weight(logits[_candidates[j]], max);
        }

        var target = _random.NextDouble() * total;
        var cumulative = 0.0;
        var lastPositive = _candidates[0];
        for (var j = 0; j < count; j++)
        {
            var id = _candidates[j];
            var weight = Weight(logits[id], max);
            if (weight <= 0f)
            {
                continue;
            }

            cumulative += weight;
            lastPositive = id;
            if (target < cumulative)
            {
                return id;
            }
        }

        // Rounding left the target at or past the running sum: the last id with any weight takes it.
        return lastPositive;
    }

    private void EnsureCapacity(int width)
    {
        if (_candidates.Length >= width)
        {
            return;
        }

        _candidates = new int[width];
        _sortKeys = new float[width];
        _sortIds = new int[width];
        _seen = new int[width];
        _generation = 0;
    }
}
