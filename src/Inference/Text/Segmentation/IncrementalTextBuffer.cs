using System.Text;

namespace Sawt.Inference.Text.Segmentation;

/// <summary>
/// Segments text that arrives in pieces (an LLM streaming tokens) and hands out segments as soon as they are
/// safe to speak: when no later text can change them. A trailing "." is not yet safe ("3." may become "3.5",
/// "Mr." may continue), nor is a trailing high surrogate, a run of dots or closers that may go on.
/// </summary>
/// <remarks>
/// Whatever the piece boundaries (mid-word, mid-number, mid-ellipsis, mid-surrogate-pair), the segments are
/// those <see cref="TextSegmenter"/> gives for the concatenated text with the same options, unless
/// <see cref="Flush"/> is called. Spans are offsets into the concatenation of every appended piece.
/// With <see cref="SegmentationOptions.Streaming"/> (the default) a clause is ready once the segment is at least
/// <see cref="SegmentationOptions.MinClauseChars"/> long, so the first audio can start early.
/// Not thread-safe: one owner (a session) appends and takes.
/// </remarks>
public sealed class IncrementalTextBuffer
{
    private readonly SegmentScanner _scanner;
    private readonly StringBuilder _pending = new();
    private readonly List<SpeechSegment> _ready = [];

    /// <summary>Offset of <c>_pending[0]</c> in the concatenated input.</summary>
    private int _pendingOffset;

    /// <exception cref="InferenceException"><see cref="InferenceErrorCode.UnsupportedLanguage"/> or <see cref="InferenceErrorCode.InvalidOptions"/>.</exception>
    public IncrementalTextBuffer(string language, SegmentationOptions? options = null)
    {
        Options = options ?? SegmentationOptions.Streaming;
        Options.Validate();
        _scanner = new SegmentScanner(SegmentationRules.For(language), Options);
    }

    public SegmentationOptions Options { get; }

    /// <summary>True after <see cref="Complete"/>.</summary>
    public bool IsCompleted { get; private set; }

    /// <summary>Characters appended so far, whitespace included.</summary>
    public int TotalLength { get; private set; }

    /// <summary>Characters received but not yet in a segment (ready segments not counted).</summary>
    public int PendingLength => _pending.Length;

    /// <summary>Adds a piece of text; any segments it completes become ready.</summary>
    /// <exception cref="InvalidOperationException">After <see cref="Complete"/>.</exception>
    /// <exception cref="InferenceException">
    /// <see cref="InferenceErrorCode.InvalidText"/> when the piece is not valid text (see <see cref="TextValidation"/>;
    /// the offset counts from the start of all appended text); the piece is then not appended. A piece may end
    /// in a high surrogate whose low half comes first in the next piece.
    /// <see cref="InferenceErrorCode.TextTooLong"/> when more than <see cref="SegmentationOptions.MaxBufferedChars"/>
    /// characters are pending without a boundary. The piece is kept; <see cref="Flush"/> or <see cref="Complete"/> still emit it.
    /// </exception>
    public void Append(string piece)
    {
        ArgumentNullException.ThrowIfNull(piece);
        if (IsCompleted)
        {
            throw new InvalidOperationException("Text cannot be appended after Complete().");
        }

        if (piece.Length == 0)
        {
            return;
        }

        ValidatePiece(piece);
        _pending.Append(piece);
        TotalLength += piece.Length;
        Advance(final: false, flushing: false);

        if (_pending.Length > Options.MaxBufferedChars)
        {
            throw new InferenceException(
                InferenceErrorCode.TextTooLong,
                $"{_pending.Length} characters are buffered without a segment boundary; the limit is {Options.MaxBufferedChars}.");
        }
    }

    /// <summary>
    /// Makes everything buffered ready now, as if the text ended here (a segment without an ender gets
    /// <see cref="SegmentBoundary.Forced"/>); later text starts a new segment. A trailing high surrogate
    /// is kept back so half a pair is never emitted.
    /// </summary>
    public void Flush()
    {
        if (!IsCompleted)
        {
            Advance(final: true, flushing: true);
        }
    }

    /// <summary>Marks the end of the input: the rest becomes ready. Calling it again does nothing.</summary>
    /// <exception cref="InferenceException">
    /// <see cref="InferenceErrorCode.InvalidText"/> when the text ends in a high surrogate whose low half never came;
    /// the buffer is then not completed.
    /// </exception>
    public void Complete()
    {
        if (!IsCompleted)
        {
            if (EndsInHighSurrogate)
            {
                throw TextValidation.Invalid(_pending.ToString(_pending.Length - 1, 1), 0, TotalLength - 1);
            }

            IsCompleted = true;
            Advance(final: true, flushing: false);
        }
    }

    /// <summary>Returns the segments that are ready, in text order, and forgets them; empty when none are.</summary>
    public IReadOnlyList<SpeechSegment> TakeReady()
    {
        if (_ready.Count == 0)
        {
            return [];
        }

        var ready = _ready.ToArray();
        _ready.Clear();
        return ready;
    }

    /// <summary>
    /// True when the last appended unit is a high surrogate. Every earlier unit was validated, and
    /// <see cref="Advance"/> never emits a trailing high surrogate, so it is still the last unit of <c>_pending</c>.
    /// </summary>
    private bool EndsInHighSurrogate => _pending.Length > 0 && char.IsHighSurrogate(_pending[^1]);

    /// <summary>
    /// Validates <paramref name="piece"/> as the continuation of the text so far: a pending high surrogate is checked
    /// together with the piece's first unit, and the piece's own last unit may be a high surrogate still waiting.
    /// </summary>
    private void ValidatePiece(string piece)
    {
        var joined = EndsInHighSurrogate ? string.Concat(_pending.ToString(_pending.Length - 1, 1), piece) : piece;
        var start = TotalLength - (joined.Length - piece.Length);
        var bad = TextValidation.IndexOfInvalid(joined, allowIncompleteEnd: true);
        if (bad >= 0)
        {
            throw TextValidation.Invalid(joined, bad, start);
        }
    }

    private void Advance(bool final, bool flushing)
    {
        var length = _pending.Length;
        if (flushing && length > 0 && char.IsHighSurrogate(_pending[length - 1]))
        {
            length--;
        }

        // Pending text is bounded by MaxSegmentChars plus a lookahead run, so copying it per piece is cheap.
        var text = _pending.ToString(0, length);
        var start = SegmentScanner.SkipWhitespace(text, 0);
        while (start < text.Length && _scanner.TryFindEnd(text, start, final, out var end, out var boundary))
        {
            if (flushing && boundary == SegmentBoundary.EndOfText)
            {
                boundary = SegmentBoundary.Forced;
            }

            _ready.Add(new SpeechSegment(text[start..end], _pendingOffset + start, end - start, boundary));
            start = SegmentScanner.SkipWhitespace(text, end);
        }

        _pending.Remove(0, start);
        _pendingOffset += start;
    }
}
