using System.Buffers;
using System.Globalization;
using System.Text;

namespace Sawt.Inference.Text;

/// <summary>
/// The one rule for "this is text" that every text entry point applies (tokenizer, segmenter, incremental
/// buffer, engine), and that other layers may call to refuse the same input early: no lone UTF-16 surrogate,
/// no U+0000, and no Unicode non-character (U+FDD0..U+FDEF, and the last two code points of every plane,
/// U+xFFFE and U+xFFFF). Such input is not text a person wrote: it breaks <see cref="string.Normalize()"/>
/// (ArgumentException on U+FFFE and lone surrogates) and would reach the model as garbage. Thread-safe.
/// </summary>
public static class TextValidation
{
    // Every UTF-16 unit that can start an invalid sequence; anything else is valid on its own.
    private static readonly SearchValues<char> Suspects = SearchValues.Create(SuspectChars());

    /// <summary>
    /// The UTF-16 index of the first unit that makes <paramref name="text"/> invalid (for a non-character outside
    /// the BMP, the index of its high surrogate), or -1 when the text is valid.
    /// </summary>
    public static int IndexOfInvalid(ReadOnlySpan<char> text) => IndexOfInvalid(text, allowIncompleteEnd: false);

    /// <summary>True when <paramref name="text"/> is valid; otherwise <paramref name="invalidIndex"/> is its first offending UTF-16 index.</summary>
    public static bool TryValidate(ReadOnlySpan<char> text, out int invalidIndex)
    {
        invalidIndex = IndexOfInvalid(text);
        return invalidIndex < 0;
    }

    /// <summary>
    /// Throws <see cref="InferenceException"/> with <see cref="InferenceErrorCode.InvalidText"/> when
    /// <paramref name="text"/> is not valid. The message names the offending code point and its UTF-16 offset
    /// (plus <paramref name="offset"/>, for text that is part of a longer input) and never quotes the text.
    /// </summary>
    public static void Validate(ReadOnlySpan<char> text, int offset = 0)
    {
        var index = IndexOfInvalid(text);
        if (index >= 0)
        {
            throw Invalid(text, index, offset);
        }
    }

    /// <summary>
    /// As <see cref="IndexOfInvalid(ReadOnlySpan{char})"/>; with <paramref name="allowIncompleteEnd"/> a high
    /// surrogate in the last position is not (yet) an error: its low half may arrive with the next piece.
    /// </summary>
    internal static int IndexOfInvalid(ReadOnlySpan<char> text, bool allowIncompleteEnd)
    {
        var i = 0;
        while (i < text.Length)
        {
            var found = text[i..].IndexOfAny(Suspects);
            if (found < 0)
            {
                return -1;
            }

            i += found;
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 == text.Length)
                {
                    return allowIncompleteEnd ? -1 : i;
                }

                if (!char.IsLowSurrogate(text[i + 1]) || IsNonCharacter(char.ConvertToUtf32(c, text[i + 1])))
                {
                    return i;
                }

                i += 2;
                continue;
            }

            // A low surrogate here had no high surrogate before it; the rest are U+0000 and BMP non-characters.
            return i;
        }

        return -1;
    }

    /// <summary>The error for the invalid unit at <paramref name="index"/> of <paramref name="text"/>, which starts at <paramref name="offset"/> of the whole input.</summary>
    internal static InferenceException Invalid(ReadOnlySpan<char> text, int index, int offset)
    {
        var c = text[index];
        var position = offset + index;
        string what;
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            what = $"the Unicode non-character U+{char.ConvertToUtf32(c, text[index + 1]):X4}";
        }
        else if (char.IsSurrogate(c))
        {
            what = $"a lone surrogate U+{(int)c:X4} (the text is not valid UTF-16)";
        }
        else if (c == '\0')
        {
            what = "U+0000 (NUL)";
        }
        else
        {
            what = $"the Unicode non-character U+{(int)c:X4}";
        }

        return new InferenceException(
            InferenceErrorCode.InvalidText,
            string.Create(CultureInfo.InvariantCulture, $"The text contains {what} at UTF-16 offset {position}; remove it and send plain text."));
    }

    private static bool IsNonCharacter(int codePoint) =>
        codePoint is >= 0xFDD0 and <= 0xFDEF || (codePoint & 0xFFFE) == 0xFFFE;

    private static string SuspectChars()
    {
        var chars = new StringBuilder();
        chars.Append('\0');
        for (var c = 0xD800; c <= 0xDFFF; c++)
        {
            chars.Append((char)c);
        }

        for (var c = 0xFDD0; c <= 0xFDEF; c++)
        {
            chars.Append((char)c);
        }

        return chars.Append('\uFFFE').Append('\uFFFF').ToString();
    }
}
