using System.Globalization;

namespace Sawt.Inference.Text.Segmentation;

/// <summary>Language-independent character classes used by <see cref="SegmentScanner"/>.</summary>
internal static class SegmentationChars
{
    /// <summary>Enders that end a sentence whatever follows: CJK full stops and marks, Arabic question mark, Urdu full stop, Hindi dandas, Greek question mark.</summary>
    private const string StrongEnders = "\u3002\uFF01\uFF1F\uFF61\u061F\u06D4\u0964\u0965\u037E";

    /// <summary>Enders that need whitespace (or the end of the text) after them: <c>. ! ? …</c> and full-width full stop.</summary>
    private const string WeakEnders = ".!?\u2026\uFF0E";

    /// <summary>Clause separators that need whitespace after them (they also occur inside numbers, times and URLs).</summary>
    private const string WeakSeparators = ",;:";

    /// <summary>Clause separators that need no space: Arabic comma and semicolon, CJK comma, enumeration comma, semicolon, colon, em dash.</summary>
    private const string StrongSeparators = "\u060C\u061B\u3001\uFF0C\uFF1B\uFF1A\u2014";

    /// <summary>Closing quotes and brackets that stay with the sentence or clause they follow.</summary>
    private const string Closers = "\"')]}\u201D\u2019\u201C\u2018\u00BB\u203A\u00AB\u2039\u300D\u300F\uFF09\uFF3D\u3011\u3009\u300B\u3015\uFF5D\u3019\u301B\u3017\u301E\uFF02\uFF07";

    /// <summary>Opening quotes and brackets that start an abbreviation's word.</summary>
    private const string Openers = "\"'([{\u201C\u2018\u201E\u201A\u00AB\u2039\u00BB\u00BF\u00A1\u300C\u300E\uFF08";

    /// <summary>Separators inside numbers: 3.14, 1,000, 12:30, ٣٫١٤, ١٬٠٠٠, 1'000.</summary>
    private const string NumberSeparators = ".,:'\u066B\u066C";

    public static bool IsStrongEnder(char c) => StrongEnders.Contains(c);

    public static bool IsWeakEnder(char c) => WeakEnders.Contains(c);

    public static bool IsWeakSeparator(char c) => WeakSeparators.Contains(c);

    public static bool IsStrongSeparator(char c) => StrongSeparators.Contains(c);

    public static bool IsCloser(char c) => Closers.Contains(c);

    public static bool IsOpener(char c) => Openers.Contains(c);

    public static bool IsNumberSeparator(char c) => NumberSeparators.Contains(c);

    /// <summary>Line breaks; a blank line (two breaks) is a paragraph end.</summary>
    public static bool IsLineBreak(char c) => c is '\n' or '\r' or '\u000B' or '\u000C' or '\u0085' or '\u2028' or '\u2029';

    /// <summary>Spaces that must not be split at (they join "10 km", French "Quoi ?").</summary>
    public static bool IsNonBreakingSpace(char c) => c is '\u00A0' or '\u2007' or '\u202F';

    /// <summary>Whitespace other than line breaks.</summary>
    public static bool IsInlineSpace(char c) => char.IsWhiteSpace(c) && !IsLineBreak(c);

    /// <summary>Han, kana, CJK punctuation and full-width forms (including supplementary-plane Han via its surrogates).</summary>
    public static bool IsCjk(char c) =>
        c is (>= '\u2E80' and <= '\u9FFF') or (>= '\uF900' and <= '\uFAFF') or (>= '\uFF00' and <= '\uFFEF')
        || char.IsHighSurrogate(c);

    /// <summary>
    /// True when a cut before <paramref name="index"/> would separate a character from what belongs to it:
    /// the low half of a surrogate pair, a combining mark (Arabic harakat, Devanagari matras), a joiner or
    /// variation selector, or anything right after a zero-width joiner.
    /// Reads only text[index - 1] and text[index], so the answer never depends on text not yet received.
    /// </summary>
    public static bool ContinuesCluster(string text, int index)
    {
        var c = text[index];
        if (char.IsLowSurrogate(c) || c is '\u200C' or '\u200D' || c is >= '\uFE00' and <= '\uFE0F' || text[index - 1] == '\u200D')
        {
            return true;
        }

        return CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
    }
}
