namespace Sawt.Inference.Text.Segmentation;

/// <summary>
/// Splits text into sentence segments, and sentences longer than <see cref="SegmentationOptions.MaxSegmentChars"/>
/// into clauses, then at spaces, then (text without spaces, e.g. zh/ja) anywhere except inside a number,
/// surrogate pair or combining sequence. Works for all 23 supported languages and for mixed-language text.
/// </summary>
/// <remarks>
/// Every non-whitespace character of the input lies in exactly one segment, in order; segments carry their
/// span so audio can be mapped back to the text. Numbers (<c>3.14</c>, <c>1,000,000</c>, <c>٣٫١٤</c>, <c>12:30</c>,
/// <c>v2.0</c>), common abbreviations (<c>Mr.</c>, <c>z.B.</c>, <c>Mme.</c>) and an ellipsis are not split; closing
/// quotes and brackets after an ender stay with the sentence. Thread-safe: holds only immutable state.
/// </remarks>
public sealed class TextSegmenter
{
    public TextSegmenter(SegmentationOptions? options = null)
    {
        Options = options ?? SegmentationOptions.Default;
        Options.Validate();
    }

    public SegmentationOptions Options { get; }

    /// <summary>Segments <paramref name="text"/>; empty or whitespace-only text gives no segments.</summary>
    /// <exception cref="InferenceException">
    /// <see cref="InferenceErrorCode.UnsupportedLanguage"/> for an unknown language code;
    /// <see cref="InferenceErrorCode.InvalidText"/> for text that is not valid text (see <see cref="TextValidation"/>).
    /// </exception>
    public IReadOnlyList<SpeechSegment> Segment(string text, string language)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scanner = new SegmentScanner(SegmentationRules.For(language), Options);
        TextValidation.Validate(text);
        var segments = new List<SpeechSegment>();
        var start = SegmentScanner.SkipWhitespace(text, 0);
        while (start < text.Length)
        {
            // A final scan always finds an end.
            scanner.TryFindEnd(text, start, final: true, out var end, out var boundary);
            segments.Add(new SpeechSegment(text[start..end], start, end - start, boundary));
            start = SegmentScanner.SkipWhitespace(text, end);
        }

        return segments;
    }
}
