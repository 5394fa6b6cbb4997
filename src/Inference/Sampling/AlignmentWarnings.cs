namespace Sawt.Inference.Sampling;

/// <summary>
/// What the alignment guard (v2 graphs, model-contract.md 6.3) saw during an utterance without stopping it: a false
/// start only keeps STOP suppressed, a discontinuity is a diagnostic.
/// </summary>
[Flags]
public enum AlignmentWarnings
{
    /// <summary>Nothing, or a graph without attention outputs.</summary>
    None = 0,

    /// <summary>At some step attention had not started on the text (the first text ids, not the end).</summary>
    FalseStart = 1,

    /// <summary>At some step the alignment jumped outside (-4, 7) text ids of the tracked position.</summary>
    Discontinuity = 2,
}
