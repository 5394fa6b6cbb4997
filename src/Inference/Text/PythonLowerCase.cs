using System.Globalization;
using System.Text;

namespace Sawt.Inference.Text;

/// <summary>
/// Python's <c>str.lower()</c>, which the reference applies: invariant simple case mapping plus the two
/// full-mapping cases that matter for the supported languages. U+0130 (Turkish dotted capital I) becomes
/// "i" + U+0307, not "i"; and capital sigma becomes final sigma (U+03C2) at the end of a word (Unicode
/// Final_Sigma condition), not U+03C3.
/// </summary>
internal static class PythonLowerCase
{
    private const char CapitalSigma = '\u03A3';
    private const char DottedCapitalI = '\u0130';

    public static string ToLower(string text)
    {
        if (text.AsSpan().IndexOfAny(CapitalSigma, DottedCapitalI) < 0)
        {
            return text.ToLowerInvariant();
        }

        var builder = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == DottedCapitalI)
            {
                builder.Append("i\u0307");
            }
            else if (c == CapitalSigma)
            {
                builder.Append(IsFinalSigma(text, i) ? '\u03C2' : '\u03C3');
            }
            else if (char.IsSurrogate(c))
            {
                // Surrogate pairs lower-case as a unit; ToLowerInvariant on a string handles them.
                var length = i + 1 < text.Length && char.IsSurrogatePair(c, text[i + 1]) ? 2 : 1;
                builder.Append(text.AsSpan(i, length).ToString().ToLowerInvariant());
                i += length - 1;
            }
            else
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    /// <summary>Preceded by a cased letter (skipping case-ignorables) and not followed by one.</summary>
    private static bool IsFinalSigma(string text, int index)
    {
        var before = index - 1;
        while (before >= 0 && IsCaseIgnorable(text[before]))
        {
            before--;
        }

        if (before < 0 || !IsCased(text[before]))
        {
            return false;
        }

        var after = index + 1;
        while (after < text.Length && IsCaseIgnorable(text[after]))
        {
            after++;
        }

        return after >= text.Length || !IsCased(text[after]);
    }

    private static bool IsCased(char c) => char.GetUnicodeCategory(c) is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter;

    private static bool IsCaseIgnorable(char c) =>
        c is '\'' or '.' or ':' or '\u00B7' or '\u2018' or '\u2019' or '\u2024' or '\u2027'
        || char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol;
}
