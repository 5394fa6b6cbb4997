using System.Globalization;
using System.Text;

namespace Sawt.Inference.Text;

/// <summary>
/// The HF <c>Whitespace</c> pre-tokenizer: the matches of <c>\w+|[^\w\s]+</c>, whitespace dropped.
/// <c>\w</c> follows the Unicode word class of the Oniguruma engine HF tokenizers uses: letters, all marks
/// (Mn, Mc, Me: combining accents and Indic vowel signs stay inside the word), decimal and letter numbers,
/// connector punctuation and the joiners U+200C/U+200D. .NET's own <c>\w</c> would split words at Mc and Me.
/// </summary>
internal static class WhitespacePreTokenizer
{
    /// <summary>Appends the (start, length) of each pre-token of <c>text[start..start+length]</c> to <paramref name="words"/>.</summary>
    public static void Split(string text, int start, int length, List<(int Start, int Length)> words)
    {
        var end = start + length;
        var runStart = -1;
        var runClass = CharClass.Space;
        var i = start;
        while (i < end)
        {
            // Invalid UTF-16 decodes as U+FFFD (one unit), a non-word symbol.
            Rune.DecodeFromUtf16(text.AsSpan(i, end - i), out var rune, out var consumed);
            var cls = Classify(rune);
            if (cls != runClass)
            {
                if (runClass != CharClass.Space)
                {
                    words.Add((runStart, i - runStart));
                }

                runClass = cls;
                runStart = i;
            }

            i += consumed;
        }

        if (runClass != CharClass.Space)
        {
            words.Add((runStart, end - runStart));
        }
    }

    internal static bool IsWordRune(Rune rune)
    {
        if (rune.Value is 0x200C or 0x200D)
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber => true,
            UnicodeCategory.ConnectorPunctuation => true,
            _ => false,
        };
    }

    private static CharClass Classify(Rune rune) =>
        IsWordRune(rune) ? CharClass.Word : Rune.IsWhiteSpace(rune) ? CharClass.Space : CharClass.Other;

    private enum CharClass
    {
        Space,
        Word,
        Other,
    }
}
