using Sawt.Inference.Sampling;

namespace Sawt.Inference.Generation;

/// <summary>
/// A sequence's own speculative-decoding state: its draft length controller (one per sequence, so its drafts, and
/// with them its random stream, do not depend on which other sequences share its batch), the buffers of one round,
/// and how far the draft model's cache lags behind the accepted tokens.
/// </summary>
internal sealed class SpeculationState(SpeculativeOptions options, int width)
{
    public DraftLengthController Controller { get; } = new(options);

    /// <summary>Newest accepted tokens the draft cache has not seen: 1, or 2 after a round that kept every draft.</summary>
    public int DraftLag { get; set; } = 1;

    /// <summary>The draft's processed distribution at each drafted position of the current round.</summary>
    public double[][] DraftProbabilities { get; } = [.. Enumerable.Range(0, options.MaxDraftTokens).Select(_ => new double[width])];

    /// <summary>The target's processed distribution at the position being verified.</summary>
    public double[] TargetProbabilities { get; } = new double[width];

    /// <summary>The tokens drafted this round.</summary>
    public long[] Drafts { get; } = new long[options.MaxDraftTokens];

    /// <summary>History plus the drafts so far: what the draft's repetition penalty sees at each drafted position.</summary>
    public List<long> DraftHistory { get; } = [];

    /// <summary>Rounds run and drafts proposed and accepted (for the engine's speculative acceptance figures).</summary>
    public int Rounds { get; set; }

    public int Drafted { get; set; }

    public int Accepted { get; set; }
}
