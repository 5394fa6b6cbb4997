namespace Sawt.Inference.Sampling;

/// <summary>
/// A heuristic long-tail guard that needs no attention outputs (for graphs like v1): it reports
/// <see cref="StopReason.LongTail"/> once the generated token count exceeds
/// max(<see cref="Floor"/>, <see cref="TokensPerTextId"/> x text ids).
/// <para>
/// It complements, and is tighter than, the contract's hard step cap of max(150, 25 x text ids)
/// (model-contract.md 6.3): normal speech runs a few tokens per text id, so 12 per id is generous, yet it cuts
/// a babbling tail about half as long as the cap would. It is a guess, not a reference rule: opt-in, off unless a
/// caller constructs one. Not thread-safe; one instance per sequence.
/// </para>
/// </summary>
public sealed class LengthGuard
{
    /// <summary>Default ceiling of speech tokens per text id.</summary>
    public const double DefaultTokensPerTextId = 12;

    /// <summary>Default lower bound of the limit, as the contract's step cap (150 tokens = 6 s).</summary>
    public const int DefaultFloor = 150;

    /// <param name="textIds">Text ids of the utterance ([START] and [STOP] included); at least 1.</param>
    /// <param name="tokensPerTextId">Ceiling of speech tokens per text id; finite and above 0.</param>
    /// <param name="floor">Smallest limit, whatever the text length; at least 1.</param>
    public LengthGuard(int textIds, double tokensPerTextId = DefaultTokensPerTextId, int floor = DefaultFloor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(textIds, 1);
        if (!double.IsFinite(tokensPerTextId) || tokensPerTextId <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tokensPerTextId), tokensPerTextId, "Must be finite and above 0.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(floor, 1);
        TokensPerTextId = tokensPerTextId;
        Floor = floor;
        MaxTokens = (int)Math.Min(int.MaxValue, Math.Max(floor, Math.Ceiling(tokensPerTextId * textIds)));
    }

    public double TokensPerTextId { get; }

    public int Floor { get; }

    /// <summary>Most tokens allowed: max(floor, ceil(tokensPerTextId x text ids)).</summary>
    public int MaxTokens { get; }

    /// <summary>
    /// Returns <see cref="StopReason.LongTail"/> when <paramref name="generatedTokens"/> (speech tokens so far, not
    /// counting the leading 6561) exceeds <see cref="MaxTokens"/>, else <see cref="StopReason.None"/>.
    /// </summary>
    public StopReason Check(int generatedTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(generatedTokens);
        return generatedTokens > MaxTokens ? StopReason.LongTail : StopReason.None;
    }
}
