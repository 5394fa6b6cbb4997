namespace Sawt.Inference.Sampling;

/// <summary>
/// Adapts k, the tokens drafted per speculative round, to the observed acceptance. Each drafted position is a
/// Bernoulli trial with per-token acceptance alpha until the first rejection, so a round of k drafts that kept a
/// tokens observed a successes out of a + 1 trials (a if all k were kept). Successes and trials are smoothed
/// exponentially; alpha = successes / trials. A round yields 1 + alpha + ... + alpha^k tokens on average
/// (the accepted drafts plus the replacement or bonus token) and costs k draft steps of c plus one target call, so
/// k maximises (1 - alpha^(k+1)) / (1 - alpha) / (k c + 1) within the options' bounds; ties go to the smaller k.
/// Deterministic and not thread-safe: one per batching loop (or per sequence).
/// </summary>
public sealed class DraftLengthController
{
    private readonly SpeculativeOptions _options;
    private double _successes;
    private double _trials;

    /// <summary>Validates <paramref name="options"/> (see <see cref="SpeculativeOptions.Validate"/>).</summary>
    public DraftLengthController(SpeculativeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;

        // The prior counts as one full smoothing window of rounds that each saw one trial at the initial rate.
        _trials = 1.0 / (1.0 - options.AcceptanceDecay);
        _successes = options.InitialAcceptanceRate * _trials;
        DraftTokens = BestDraftLength(AcceptanceRate, options.DraftCostRatio, options.MinDraftTokens, options.MaxDraftTokens);
    }

    /// <summary>The smoothed per-token acceptance estimate alpha, in [0, 1].</summary>
    public double AcceptanceRate => _successes / _trials;

    /// <summary>How many tokens to draft next round.</summary>
    public int DraftTokens { get; private set; }

    /// <summary>Records a verified round: <paramref name="accepted"/> of <paramref name="drafted"/> drafts kept.</summary>
    public void Observe(int drafted, int accepted)
    {
        if (drafted < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(drafted), drafted, "A round drafts at least one token.");
        }

        if (accepted < 0 || accepted > drafted)
        {
            throw new ArgumentOutOfRangeException(nameof(accepted), accepted, $"Accepted drafts must be between 0 and {drafted}.");
        }

        var trials = accepted == drafted ? accepted : accepted + 1;
        var decay = _options.AcceptanceDecay;
        _successes = (decay * _successes) + accepted;
        _trials = (decay * _trials) + trials;
        DraftTokens = BestDraftLength(AcceptanceRate, _options.DraftCostRatio, _options.MinDraftTokens, _options.MaxDraftTokens);
    }

    /// <summary>Expected tokens per round over its cost in target calls: (1 + alpha + ... + alpha^k) / (k c + 1).</summary>
    public static double TokensPerCost(double acceptanceRate, int draftTokens, double costRatio)
    {
        // The geometric sum written out stays exact at alpha = 1, where the closed form divides by zero.
        var tokens = 0.0;
        var power = 1.0;
        for (var i = 0; i <= draftTokens; i++)
        {
            tokens += power;
            power *= acceptanceRate;
        }

        return tokens / ((draftTokens * costRatio) + 1.0);
    }

    /// <summary>The k in [<paramref name="min"/>, <paramref name="max"/>] with the most tokens per cost; ties go to the smaller.</summary>
    public static int BestDraftLength(double acceptanceRate, double costRatio, int min, int max)
    {
        var best = min;
        var bestValue = TokensPerCost(acceptanceRate, min, costRatio);
        for (var k = min + 1; k <= max; k++)
        {
            var value = TokensPerCost(acceptanceRate, k, costRatio);
            if (value > bestValue)
            {
                best = k;
                bestValue = value;
            }
        }

        return best;
    }
}
