namespace Sawt.Inference.Synthetic;

/// <summary>
/// What the alignment (<c>attn_layers</c>) of a synthetic v2 language model does; chosen by the text (see
/// <see cref="SyntheticAlignmentSteering"/>), so one bundle shows every case the alignment guard detects.
/// </summary>
public enum SyntheticAlignmentBehaviour
{
    /// <summary>Attention walks through the text at one text id per three speech tokens; STOP once it reaches [STOP].</summary>
    Normal,

    /// <summary>For the first six frames attention sits on the last text id (a hallucinated start), then walks as normal.</summary>
    FalseStart,

    /// <summary>Walks as normal, then stays on the last text id and never asks for STOP itself.</summary>
    LongTail,

    /// <summary>Walks as normal, then starts over from the first text id (and again), never asking for STOP itself.</summary>
    AlignmentRepetition,

    /// <summary>Walks as normal but skips eight text ids once it passes the middle of the text.</summary>
    Discontinuity,

    /// <summary>Walks as normal while the speech head strongly prefers one token, so tokens repeat.</summary>
    TokenRepetition,
}
