namespace Sawt.Inference.Sampling;

/// <summary>
/// Lossless speculative sampling (Leviathan et al. 2023; Chen et al. 2023): a token x drafted from the draft's
/// processed distribution q is kept with probability min(1, p(x) / q(x)), where p is the target's processed
/// distribution at the same position with the same history; on rejection the token is drawn from
/// norm(max(0, p - q)). The kept-or-replaced token is then distributed exactly as p, whatever q is. Both vectors
/// come from <see cref="TokenSampler.ProbabilitiesInto"/> (CFG applied by the caller before, penalty over the
/// history up to that position); temperature 0 makes p one-hot, so the rule keeps x iff it is the target's argmax
/// and otherwise returns that argmax. Pure functions over spans: no allocation, callable per row per position.
/// </summary>
public static class SpeculativeAcceptance
{
    /// <summary>
    /// Verifies <paramref name="drafted"/>, drawn from <paramref name="draft"/>, against <paramref name="target"/>.
    /// Consumes one value of <paramref name="random"/> for the test and, on rejection, one more for the residual.
    /// </summary>
    public static SpeculativeVerdict Verify(
        ReadOnlySpan<double> target, ReadOnlySpan<double> draft, int drafted, DeterministicRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (target.Length != draft.Length)
        {
            throw new ArgumentException(
                $"The target ({target.Length}) and draft ({draft.Length}) distributions differ in width.", nameof(draft));
        }

        if ((uint)drafted >= (uint)target.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(drafted), drafted, $"The drafted token is outside the row of width {target.Length}.");
        }

        var q = draft[drafted];
        if (!(q > 0))
        {
            // A token the draft could not have drawn means the caller passed the wrong vector; accepting or rejecting
            // it would silently bias the output.
            throw new ArgumentException($"The draft distribution gives the drafted token {drafted} no probability.", nameof(draft));
        }

        // u < p / q without the division; with u < 1, p >= q always accepts.
        if (random.NextDouble() * q < target[drafted])
        {
            return new SpeculativeVerdict(Accepted: true, drafted);
        }

        return new SpeculativeVerdict(Accepted: false, DrawResidual(target, draft, random));
    }

    /// <summary>
    /// Inverse-CDF draw in id order from non-negative weights that need not sum to 1; consumes exactly one value.
    /// The draft token and the bonus token after k accepted drafts are drawn with it.
    /// </summary>
    public static int Draw(ReadOnlySpan<double> probabilities, DeterministicRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var total = 0.0;
        foreach (var weight in probabilities)
        {
            total += weight;
        }

        if (!(total > 0) || !double.IsFinite(total))
        {
            throw new ArgumentException("The distribution has no positive finite mass to draw from.", nameof(probabilities));
        }

        var point = random.NextDouble() * total;
        var cumulative = 0.0;
        var lastPositive = -1;
        for (var i = 0; i < probabilities.Length; i++)
        {
            var weight = probabilities[i];
            if (!(weight > 0))
            {
                continue;
            }

            cumulative += weight;
            lastPositive = i;
            if (point < cumulative)
            {
                return i;
            }
        }

        // Rounding left the point at or past the running sum: the last id with any weight takes it.
        return lastPositive;
    }

    /// <summary>Draws from norm(max(0, p - q)), or from p when rounding left the residual empty.</summary>
    private static int DrawResidual(ReadOnlySpan<double> target, ReadOnlySpan<double> draft, DeterministicRandom random)
    {
        var total = 0.0;
        for (var i = 0; i < target.Length; i++)
        {
            total += Math.Max(0.0, target[i] - draft[i]);
        }

        // In exact arithmetic a rejection implies a positive residual (its mass is the rejection probability); only
        // rounding can empty it, and then p and q agree so closely that p is the right answer.
        if (!(total > 0))
        {
            return Draw(target, random);
        }

        var point = random.NextDouble() * total;
        var cumulative = 0.0;
        var lastPositive = -1;
        for (var i = 0; i < target.Length; i++)
        {
            var weight = target[i] - draft[i];
            if (!(weight > 0))
            {
                continue;
            }

            cumulative += weight;
            lastPositive = i;
            if (point < cumulative)
            {
                return i;
            }
        }

        return lastPositive;
    }
}
