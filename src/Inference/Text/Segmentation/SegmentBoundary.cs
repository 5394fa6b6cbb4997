namespace Sawt.Inference.Text.Segmentation;

/// <summary>Why a <see cref="SpeechSegment"/> ends where it does; callers can use it to choose the pause after it.</summary>
public enum SegmentBoundary
{
    /// <summary>A sentence ender (<c>. ! ? … ؟ ۔ । 。</c> ...) or a paragraph break (a blank line).</summary>
    Sentence = 0,

    /// <summary>A clause separator (<c>, ; : — ، ؛ 、 ，</c> ...) or a single line break.</summary>
    Clause = 1,

    /// <summary>
    /// No natural boundary: the segment reached the length limit and was cut at the last space or, in text
    /// without spaces, inside a run; or <see cref="IncrementalTextBuffer.Flush"/> ended it.
    /// </summary>
    Forced = 2,

    /// <summary>The text ended without an ender after the segment.</summary>
    EndOfText = 3,
}
