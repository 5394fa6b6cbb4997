namespace Sawt.Inference.Text.Segmentation;

/// <summary>Limits and policy of <see cref="TextSegmenter"/> and <see cref="IncrementalTextBuffer"/>; lengths are UTF-16 code units.</summary>
public sealed record SegmentationOptions
{
    /// <summary>Default for <see cref="MaxSegmentChars"/>.</summary>
    public const int DefaultMaxSegmentChars = 300;

    /// <summary>Default for <see cref="MinClauseChars"/>.</summary>
    public const int DefaultMinClauseChars = 20;

    /// <summary>Default for <see cref="MaxBufferedChars"/>.</summary>
    public const int DefaultMaxBufferedChars = 10_000;

    /// <summary>Whole-text defaults: sentences stay whole unless longer than <see cref="MaxSegmentChars"/>.</summary>
    public static SegmentationOptions Default { get; } = new();

    /// <summary>Streaming defaults (<see cref="IncrementalTextBuffer"/>): clauses are emitted early so the first audio starts sooner.</summary>
    public static SegmentationOptions Streaming { get; } = new() { EagerClauses = true };

    /// <summary>Longest segment. Longer sentences are split at clause separators, then at spaces, then anywhere (never inside a number, surrogate pair or combining sequence).</summary>
    public int MaxSegmentChars { get; init; } = DefaultMaxSegmentChars;

    /// <summary>Shortest segment a clause separator may end: shorter clauses stay joined to what follows.</summary>
    public int MinClauseChars { get; init; } = DefaultMinClauseChars;

    /// <summary>
    /// When true, every clause separator ends a segment once the segment is at least <see cref="MinClauseChars"/>
    /// long, even in sentences that would fit; when false, clauses only split sentences longer than <see cref="MaxSegmentChars"/>.
    /// </summary>
    public bool EagerClauses { get; init; }

    /// <summary>Most characters <see cref="IncrementalTextBuffer"/> holds without finding a boundary before it fails with <see cref="InferenceErrorCode.TextTooLong"/>.</summary>
    public int MaxBufferedChars { get; init; } = DefaultMaxBufferedChars;

    internal void Validate()
    {
        if (MaxSegmentChars < 4)
        {
            throw new InferenceException(InferenceErrorCode.InvalidOptions, $"MaxSegmentChars must be at least 4; got {MaxSegmentChars}.");
        }

        if (MinClauseChars < 1 || MinClauseChars > MaxSegmentChars)
        {
            throw new InferenceException(
                InferenceErrorCode.InvalidOptions,
                $"MinClauseChars must be between 1 and MaxSegmentChars ({MaxSegmentChars}); got {MinClauseChars}.");
        }

        if (MaxBufferedChars < MaxSegmentChars)
        {
            throw new InferenceException(
                InferenceErrorCode.InvalidOptions,
                $"MaxBufferedChars must be at least MaxSegmentChars ({MaxSegmentChars}); got {MaxBufferedChars}.");
        }
    }
}
