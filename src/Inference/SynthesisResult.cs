using Sawt.Inference.Sampling;

namespace Sawt.Inference;

/// <summary>A finished utterance: 24 kHz mono audio and how it was made.</summary>
public sealed record SynthesisResult(
    float[] Audio,
    int SampleRate,
    long[] SpeechTokens,
    StopReason StopReason,
    int TextIdCount,
    TimeSpan TimeToFirstToken,
    TimeSpan GenerationTime,
    TimeSpan DecodeTime)
{
    /// <summary>What the alignment guard (v2 graphs) saw without stopping generation.</summary>
    public AlignmentWarnings AlignmentWarnings { get; init; }

    public TimeSpan AudioDuration => TimeSpan.FromSeconds((double)Audio.Length / SampleRate);

    /// <summary>Compute time over audio time (below 1 is faster than real time).</summary>
    public double RealTimeFactor => Audio.Length == 0 ? 0 : (GenerationTime + DecodeTime).TotalSeconds / AudioDuration.TotalSeconds;
}
