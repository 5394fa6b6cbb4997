namespace Sawt.Inference.Sampling;

/// <summary>
/// The token-repetition stop rule of model-contract.md 6.3, for graphs without attention outputs: stop once at
/// least three tokens have been seen and the last <see cref="RepeatRunLength"/> are identical. The reference
/// uses a run of 2, which also fires on legitimate repeats (silence, sustained sounds); a larger run is more
/// lenient. One instance per sequence; not thread-safe.
/// </summary>
public sealed class RepetitionGuard
{
    /// <summary>The reference rule: the last two tokens are identical.</summary>
    public const int DefaultRepeatRunLength = 2;

    // The reference requires at least three tokens in its window before the rule can fire.
    private const int MinimumTokensSeen = 3;

    private long _lastToken;
    private int _runLength;

    /// <param name="repeatRunLength">Identical trailing tokens that stop generation; at least 2.</param>
    public RepetitionGuard(int repeatRunLength = DefaultRepeatRunLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeatRunLength, 2);
        RepeatRunLength = repeatRunLength;
    }

    /// <summary>How many identical trailing tokens stop generation.</summary>
    public int RepeatRunLength { get; }

    /// <summary>Tokens observed since construction or <see cref="Reset"/>.</summary>
    public int TokensSeen { get; private set; }

    /// <summary>
    /// Records the token just generated and returns <see cref="StopReason.TokenRepetition"/> when the rule
    /// fires, else <see cref="StopReason.None"/>.
    /// </summary>
    public StopReason Observe(long token)
    {
        _runLength = TokensSeen > 0 && token == _lastToken ? _runLength + 1 : 1;
        _lastToken = token;
        TokensSeen++;

        return TokensSeen >= MinimumTokensSeen && _runLength >= RepeatRunLength
            ? StopReason.TokenRepetition
            : StopReason.None;
    }

    /// <summary>Forgets all tokens, for reuse on a new sequence.</summary>
    public void Reset()
    {
        TokensSeen = 0;
        _runLength = 0;
        _lastToken = 0;
    }
}
