namespace Sawt.Inference.Text.Segmentation;

/// <summary>
/// Finds where the segment starting at a given offset ends. Shared by <see cref="TextSegmenter"/> (the whole
/// text, <c>final</c>) and <see cref="IncrementalTextBuffer"/> (a prefix, not <c>final</c>).
/// </summary>
/// <remarks>
/// Invariant that makes streaming equal to whole-text segmentation: a decision reads only characters at or
/// after the segment start, and when it would need a character past the end of a non-final text it answers
/// "need more" instead of guessing. A decision taken on a prefix is therefore the decision the whole text
/// gives, whatever follows. The scan is greedy and reads at most <c>MaxSegmentChars</c> characters plus the
/// lookahead of the rule at hand (a run of dots, closers or whitespace).
/// </remarks>
internal sealed class SegmentScanner
{
    /// <summary><see cref="Peek"/>: the text ends here (final text only).</summary>
    private const int EndOfInput = -1;

    /// <summary><see cref="Peek"/>: past the end of a non-final text; the answer depends on what comes next.</summary>
    private const int NotYetKnown = -2;

    private readonly SegmentationRules _rules;
    private readonly int _maxChars;
    private readonly int _minClauseChars;
    private readonly bool _eagerClauses;

    public SegmentScanner(SegmentationRules rules, SegmentationOptions options)
    {
        _rules = rules;
        _maxChars = options.MaxSegmentChars;
        _minClauseChars = options.MinClauseChars;
        _eagerClauses = options.EagerClauses;
    }

    private enum Decision
    {
        No,
        Yes,
        NeedMore,
    }

    /// <summary>Index of the first non-whitespace character at or after <paramref name="index"/>, or the text length.</summary>
    public static int SkipWhitespace(string text, int index)
    {
        while (index < text.Length && char.IsWhiteSpace(text[index]))
        {
            index++;
        }

        return index;
    }

    /// <summary>
    /// Finds the end of the segment that starts at <paramref name="start"/> (a non-whitespace character).
    /// Returns false when <paramref name="final"/> is false and the end depends on text not yet seen;
    /// <c>end</c> is exclusive, the segment has no trailing whitespace and at most MaxSegmentChars characters.
    /// </summary>
    public bool TryFindEnd(string text, int start, bool final, out int end, out SegmentBoundary boundary)
    {
        var windowEnd = start + _maxChars;
        var lastNonSpaceEnd = start;
        var lastClause = -1;
        var lastSpace = -1;
        var i = start;
        end = 0;
        boundary = SegmentBoundary.EndOfText;

        while (true)
        {
            if (i >= text.Length)
            {
                // i only reaches past windowEnd through whitespace, so lastNonSpaceEnd <= windowEnd here.
                return final && Found(lastNonSpaceEnd, SegmentBoundary.EndOfText, out end, out boundary);
            }

            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                var j = i;
                var lineBreaks = 0;
                var breakable = false;
                while (j < text.Length && char.IsWhiteSpace(text[j]))
                {
                    // "\r\n" counts once, at its "\n"; U+2029 is a paragraph separator by itself.
                    if (SegmentationChars.IsLineBreak(text[j]) && !(text[j] == '\r' && j + 1 < text.Length && text[j + 1] == '\n'))
                    {
                        lineBreaks += text[j] == '\u2029' ? 2 : 1;
                    }

                    breakable |= !SegmentationChars.IsNonBreakingSpace(text[j]);
                    j++;
                }

                if (j >= text.Length)
                {
                    return final && Found(lastNonSpaceEnd, SegmentBoundary.EndOfText, out end, out boundary);
                }

                if (lineBreaks >= 2)
                {
                    return Found(lastNonSpaceEnd, SegmentBoundary.Sentence, out end, out boundary);
                }

                if (lineBreaks == 1)
                {
                    if (_eagerClauses && lastNonSpaceEnd - start >= _minClauseChars)
                    {
                        return Found(lastNonSpaceEnd, SegmentBoundary.Clause, out end, out boundary);
                    }

                    lastClause = lastNonSpaceEnd;
                }

                if (breakable)
                {
                    lastSpace = lastNonSpaceEnd;
                }

                i = j;
                continue;
            }

            if (i >= windowEnd)
            {
                break;
            }

            if (_rules.IsEnder(c))
            {
                var decision = SentenceEnd(text, start, i, final, out var sentenceEnd);
                if (decision == Decision.NeedMore)
                {
                    return false;
                }

                if (decision == Decision.Yes && sentenceEnd <= windowEnd)
                {
                    return Found(sentenceEnd, SegmentBoundary.Sentence, out end, out boundary);
                }
            }
            else if (_rules.IsClauseSeparator(c))
            {
                var decision = ClauseEnd(text, start, i, final, out var clauseEnd);
                if (decision == Decision.NeedMore)
                {
                    return false;
                }

                if (decision == Decision.Yes && clauseEnd <= windowEnd)
                {
                    if (_eagerClauses && clauseEnd - start >= _minClauseChars)
                    {
                        return Found(clauseEnd, SegmentBoundary.Clause, out end, out boundary);
                    }

                    lastClause = clauseEnd;
                }
            }

            i++;
            lastNonSpaceEnd = i;
        }

        // The sentence does not fit: split at the last clause, else the last space, else cut the run.
        if (lastClause - start >= _minClauseChars)
        {
            return Found(lastClause, SegmentBoundary.Clause, out end, out boundary);
        }

        if (lastSpace > start)
        {
            return Found(lastSpace, SegmentBoundary.Forced, out end, out boundary);
        }

        return Found(HardCut(text, start, windowEnd), SegmentBoundary.Forced, out end, out boundary);
    }

    private static bool Found(int position, SegmentBoundary kind, out int end, out SegmentBoundary boundary)
    {
        end = position;
        boundary = kind;
        return true;
    }

    /// <summary>A cut at or before <paramref name="windowEnd"/> (a known character) that splits no number, surrogate pair or combining sequence when it can help it.</summary>
    private static int HardCut(string text, int start, int windowEnd)
    {
        var cut = windowEnd;
        while (cut > start + 1 && SegmentationChars.ContinuesCluster(text, cut))
        {
            cut--;
        }

        // Inside a number ("12|345", "3|.14", "3.|14"): cut before the number when something precedes it in the window.
        if (IsInsideNumber(text, start, cut))
        {
            var numberStart = cut;
            while (numberStart > start
                && (char.IsDigit(text[numberStart - 1])
                    || (SegmentationChars.IsNumberSeparator(text[numberStart - 1]) && numberStart - 1 > start && char.IsDigit(text[numberStart - 2]))))
            {
                numberStart--;
            }

            if (numberStart > start)
            {
                cut = numberStart;
            }
        }

        // Runs joined by non-breaking spaces only reach here; never end a segment on whitespace.
        while (cut > start + 1 && char.IsWhiteSpace(text[cut - 1]))
        {
            cut--;
        }

        return cut;
    }

    /// <summary>Whether a cut before <paramref name="cut"/> falls between a digit and a digit or separator, or between a digit-led separator and a digit.</summary>
    private static bool IsInsideNumber(string text, int start, int cut)
    {
        var before = text[cut - 1];
        var after = text[cut];
        if (char.IsDigit(before))
        {
            return char.IsDigit(after) || SegmentationChars.IsNumberSeparator(after);
        }

        return SegmentationChars.IsNumberSeparator(before) && cut - 2 >= start && char.IsDigit(text[cut - 2]) && char.IsDigit(after);
    }

    private static int Peek(string text, int index, bool final) =>
        index < text.Length ? text[index] : final ? EndOfInput : NotYetKnown;

    /// <summary>Index after the run of closing quotes and brackets starting at <paramref name="index"/>, or -1 when it may continue past the text.</summary>
    private static int SkipClosers(string text, int index, bool final)
    {
        while (true)
        {
            var next = Peek(text, index, final);
            if (next == NotYetKnown)
            {
                return -1;
            }

            if (next < 0 || !SegmentationChars.IsCloser((char)next))
            {
                return index;
            }

            index++;
        }
    }

    /// <summary>Whether the ender at <paramref name="index"/> ends a sentence; <paramref name="end"/> is after its closers.</summary>
    private Decision SentenceEnd(string text, int start, int index, bool final, out int end)
    {
        end = 0;

        // Only the last character of a run ("...", "?!", "。」") decides; "..." is one ender.
        var next = Peek(text, index + 1, final);
        if (next == NotYetKnown)
        {
            return Decision.NeedMore;
        }

        if (next >= 0 && _rules.IsEnder((char)next))
        {
            return Decision.No;
        }

        var runStart = index;
        var strong = SegmentationChars.IsStrongEnder(text[index]);
        while (runStart > start && _rules.IsEnder(text[runStart - 1]))
        {
            runStart--;
            strong |= SegmentationChars.IsStrongEnder(text[runStart]);
        }

        var afterClosers = SkipClosers(text, index + 1, final);
        if (afterClosers < 0)
        {
            return Decision.NeedMore;
        }

        var following = Peek(text, afterClosers, final);
        if (!strong)
        {
            // "3.14", "v2.0", "example.com", "?x=1": a weak ender needs a space or the end after it.
            if (!IsBreakAfter(following))
            {
                return Decision.No;
            }

            if (runStart == index && text[index] == '.' && IsAbbreviation(text, start, index))
            {
                return Decision.No;
            }
        }

        end = afterClosers;
        return _rules.SpacedGuillemets ? TakeSpacedGuillemet(text, final, ref end) : Decision.Yes;
    }

    /// <summary>French "« Oui. » Puis": a guillemet after spaces still closes the sentence.</summary>
    private static Decision TakeSpacedGuillemet(string text, bool final, ref int end)
    {
        var index = end;
        while (true)
        {
            var next = Peek(text, index, final);
            if (next == NotYetKnown)
            {
                return Decision.NeedMore;
            }

            if (next < 0)
            {
                return Decision.Yes;
            }

            if (next is '\u00BB' or '\u203A')
            {
                var afterClosers = SkipClosers(text, index + 1, final);
                if (afterClosers < 0)
                {
                    return Decision.NeedMore;
                }

                end = afterClosers;
                return Decision.Yes;
            }

            if (!SegmentationChars.IsInlineSpace((char)next))
            {
                return Decision.Yes;
            }

            index++;
        }
    }

    /// <summary>Whether the separator at <paramref name="index"/> ends a clause; <paramref name="end"/> is after its closers.</summary>
    private Decision ClauseEnd(string text, int start, int index, bool final, out int end)
    {
        end = 0;
        var c = text[index];
        var next = Peek(text, index + 1, final);
        if (next == NotYetKnown)
        {
            return Decision.NeedMore;
        }

        var spaceBefore = index > start && char.IsWhiteSpace(text[index - 1]);
        var spaceAfter = next >= 0 && char.IsWhiteSpace((char)next);

        // "1,000", "12:30", "1990–2000", "٣،٥": a separator between digits belongs to the number.
        if (index > start && char.IsDigit(text[index - 1]) && next >= 0 && char.IsDigit((char)next))
        {
            return Decision.No;
        }

        if ((c == '-' && !(spaceBefore && spaceAfter)) || (c == '\u2013' && !spaceBefore && !spaceAfter))
        {
            return Decision.No;
        }

        var afterClosers = SkipClosers(text, index + 1, final);
        if (afterClosers < 0)
        {
            return Decision.NeedMore;
        }

        var weak = SegmentationChars.IsWeakSeparator(c) || c == '\u0387';
        if (weak && !IsBreakAfter(Peek(text, afterClosers, final)))
        {
            return Decision.No;
        }

        end = afterClosers;
        return Decision.Yes;
    }

    /// <summary>What may follow a weak ender or separator: whitespace, the end, or (zh, ja) CJK text.</summary>
    private bool IsBreakAfter(int following) =>
        following == EndOfInput
        || char.IsWhiteSpace((char)following)
        || (_rules.CjkWithoutSpaces && SegmentationChars.IsCjk((char)following));

    private bool IsAbbreviation(string text, int start, int dot)
    {
        var wordStart = dot;
        while (wordStart > start && !char.IsWhiteSpace(text[wordStart - 1]) && !SegmentationChars.IsOpener(text[wordStart - 1]))
        {
            wordStart--;
        }

        return wordStart < dot && _rules.IsAbbreviation(text[wordStart..dot]);
    }
}
