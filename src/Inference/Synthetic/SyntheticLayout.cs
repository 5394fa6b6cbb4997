namespace Sawt.Inference.Synthetic;

/// <summary>
/// How the synthetic graphs encode meaning so tests can check it. Embedded text and speech positions
/// are unit-RMS vectors whose dimension <see cref="TextFlagDim"/> is 1 for text and 0 for speech, and
/// whose dimension <see cref="CountDim"/> is 1 for both (0 for conditioning and the emotion slot).
/// Head 0 of LM layer 0 has zero query/key weights, so it attends uniformly over the whole KV cache
/// and reads those two dimensions: its output is the share of text in the sequence. The STOP logit is
/// a saturating function of that share, so speech length grows with text length using only the
/// standard inputs, and the signal lives in the real KV cache.
/// </summary>
public static class SyntheticLayout
{
    internal const int TextFlagDim = 0;
    internal const int CountDim = 1;

    /// <summary>First of the v2 embeddings' steering dimensions, one per <see cref="SyntheticAlignmentSteering"/> trigger.</summary>
    internal const int SteerDim = 2;

    /// <summary>Reserved header dimensions of a v2 embedding: flag, count and the steering dimensions.</summary>
    internal const int HeaderDims = SteerDim + 5;
    internal const float StopSharpness = 400f;
    internal const float StopLogitMagnitude = 24f;
    internal const int MaxRopePositions = 8192;
    internal const float RopeTheta = 500_000f;
    internal const int TextVocabSize = 2454;

    /// <summary>Number of distinct decoder tones; token t sounds at <see cref="ToneFrequency"/>(t).</summary>
    public const int ToneCount = 256;

    /// <summary>Tone spacing: 25 Hz is one cycle per 960-sample token at 24 kHz, so every token block
    /// holds whole cycles (phase-continuous) and tones are orthogonal over a block.</summary>
    public const double ToneSpacingHz = 25.0;

    public const double ToneBaseHz = 200.0;

    /// <summary>Frequency in Hz at which the synthetic decoder plays speech token <paramref name="token"/>.</summary>
    public static double ToneFrequency(long token) => ToneBaseHz + ToneSpacingHz * (token % ToneCount);
}
