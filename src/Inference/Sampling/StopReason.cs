namespace Sawt.Inference.Sampling;

/// <summary>Why speech-token generation ended (model-contract.md 6.1 and 6.3).</summary>
public enum StopReason
{
    /// <summary>Generation has not stopped.</summary>
    None,

    /// <summary>The model emitted the STOP token (6562).</summary>
    EndOfSpeech,

    /// <summary>The step cap (max new tokens or the text-length cap) was reached.</summary>
    StepCap,

    /// <summary>The same token repeated for the configured run length.</summary>
    TokenRepetition,

    /// <summary>The caller cancelled.</summary>
    Cancelled,

    /// <summary>Alignment finished but attention stayed on the final text tokens (v2 graphs only).</summary>
    LongTail,

    /// <summary>Alignment finished but attention jumped back into earlier text (v2 graphs only).</summary>
    AlignmentRepetition,
}
