namespace Sawt.Inference.Streaming;

/// <summary>
/// One piece of a streamed utterance: 24 kHz mono float32 samples, in order, with where they sit in the
/// utterance and the text they speak.
/// </summary>
/// <param name="Sequence">0-based, consecutive across the whole stream (gaps mean loss).</param>
/// <param name="Samples">PCM, float32 in [-1, 1].</param>
/// <param name="SampleRate">Always 24 000 from the engine; encoders convert.</param>
/// <param name="StartSample">Offset of the first sample in the whole stream.</param>
/// <param name="TextStart">Start of the text span being spoken (UTF-16 offset into the stream's text).</param>
/// <param name="TextLength">Length of that span (the segment, as far as it is known).</param>
/// <param name="SegmentIndex">Which sentence or incremental segment this chunk belongs to.</param>
/// <param name="FirstToken">Index of the first speech token (within the segment) this chunk's audio covers.</param>
/// <param name="TokenCount">Speech tokens covered.</param>
/// <param name="Timings">When it was made, relative to the stream's start.</param>
/// <param name="IsFinal">The last chunk of the stream.</param>
public sealed record AudioChunk(
    int Sequence,
    float[] Samples,
    int SampleRate,
    long StartSample,
    int TextStart,
    int TextLength,
    int SegmentIndex,
    int FirstToken,
    int TokenCount,
    ChunkTimings Timings,
    bool IsFinal)
{
    /// <summary>On a segment's last chunk: why its generation ended and what the alignment guard saw; else null.</summary>
    public SegmentOutcome? Outcome { get; init; }

    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);
}
