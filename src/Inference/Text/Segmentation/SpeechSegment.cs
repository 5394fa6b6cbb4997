namespace Sawt.Inference.Text.Segmentation;

/// <summary>
/// One piece of text to synthesise. <see cref="Start"/> and <see cref="Length"/> are UTF-16 offsets into the
/// original text (for <see cref="IncrementalTextBuffer"/>: into the concatenation of every appended piece), so
/// audio can be mapped back to the text it speaks. <see cref="Text"/> never starts or ends with whitespace.
/// </summary>
public sealed record SpeechSegment(string Text, int Start, int Length, SegmentBoundary Boundary)
{
    /// <summary>The offset just past the segment.</summary>
    public int End => Start + Length;
}
