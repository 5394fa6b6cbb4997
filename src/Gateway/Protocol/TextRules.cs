using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Sawt.Gateway.Protocol;

/// <summary>
/// What the gateway accepts as text in every string it reads (JSON string fields, query parameters, path
/// segments): valid Unicode (no lone surrogate, no invalid UTF-8), without U+0000 and without non-characters
/// (U+FDD0..U+FDEF and every code point ending in FFFE or FFFF). Anything else is refused with
/// <c>invalid_text</c>, naming the field and the UTF-16 offset of the first bad character, never echoing the text.
/// The engine applies the same rule on its own; the gateway does not reference the engine, so the rule is here too.
/// </summary>
internal static class TextRules
{
    /// <summary>Throws <c>invalid_text</c> when <paramref name="text"/> breaks the rule.</summary>
    /// <param name="text">The decoded text.</param>
    /// <param name="subject">What to call it in the message, e.g. <c>Field 'text'</c>.</param>
    public static void Check(ReadOnlySpan<char> text, string subject)
    {
        if (FindProblem(text) is { } problem)
        {
            throw Invalid(subject, problem);
        }
    }

    /// <summary>The first character that breaks the rule, or null.</summary>
    public static TextProblem? FindProblem(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                // A supplementary code point: only its non-characters (U+1FFFE, U+1FFFF, ... U+10FFFF) are refused.
                var codePoint = char.ConvertToUtf32(c, text[i + 1]);
                if (IsNoncharacter(codePoint))
                {
                    return new TextProblem(i, NonCharacter(codePoint));
                }

                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return new TextProblem(i, "a lone surrogate");
            }
            else if (c == '\0')
            {
                return new TextProblem(i, "U+0000");
            }
            else if (IsNoncharacter(c))
            {
                return new TextProblem(i, NonCharacter(c));
            }
        }

        return null;
    }

    /// <summary>The 66 Unicode non-characters: U+FDD0..U+FDEF and U+xFFFE, U+xFFFF in every plane.</summary>
    public static bool IsNoncharacter(int codePoint) =>
        codePoint is >= 0xFDD0 and <= 0xFDEF || (codePoint & 0xFFFE) == 0xFFFE;

    /// <summary>
    /// Decodes UTF-8 strictly into text that keeps the rule. With <paramref name="jsonEscapes"/> the bytes are the
    /// inside of a JSON string (between the quotes, already checked for syntax by the JSON reader) and its escapes
    /// are decoded too. Invalid UTF-8 is reported at the UTF-16 offset where the bad bytes would have started.
    /// </summary>
    public static string DecodeUtf8(ReadOnlySpan<byte> utf8, bool jsonEscapes, string subject) =>
        Decode(utf8, jsonEscapes, out var problem) ?? throw Invalid(subject, problem!.Value);

    /// <summary>As <see cref="DecodeUtf8"/>, without throwing: false when the bytes are not valid text.</summary>
    public static bool TryDecodeUtf8(ReadOnlySpan<byte> utf8, bool jsonEscapes, [NotNullWhen(true)] out string? text)
    {
        text = Decode(utf8, jsonEscapes, out _);
        return text is not null;
    }

    private static string? Decode(ReadOnlySpan<byte> utf8, bool jsonEscapes, out TextProblem? problem)
    {
        // Never more UTF-16 code units than bytes: an escape is 2 or 6 bytes for 1 unit, a 4-byte sequence 2 units.
        var rented = ArrayPool<char>.Shared.Rent(Math.Max(utf8.Length, 1));
        try
        {
            var chars = rented.AsSpan();
            var length = 0;
            for (var i = 0; i < utf8.Length;)
            {
                var b = utf8[i];
                if (jsonEscapes && b == (byte)'\\')
                {
                    chars[length++] = Unescape(utf8, ref i);
                }
                else if (b < 0x80)
                {
                    chars[length++] = (char)b;
                    i++;
                }
                else if (Rune.DecodeFromUtf8(utf8[i..], out var rune, out var consumed) == OperationStatus.Done)
                {
                    length += rune.EncodeToUtf16(chars[length..]);
                    i += consumed;
                }
                else
                {
                    problem = new TextProblem(length, "invalid UTF-8");
                    return null;
                }
            }

            problem = FindProblem(chars[..length]);
            return problem is null ? new string(chars[..length]) : null;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static char Unescape(ReadOnlySpan<byte> utf8, ref int i)
    {
        var kind = utf8[i + 1];
        if (kind == (byte)'u')
        {
            // \uXXXX is one UTF-16 code unit; a surrogate pair is two escapes, and a lone one is kept for Check to find.
            var unit = int.Parse(utf8.Slice(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            i += 6;
            return (char)unit;
        }

        i += 2;
        return kind switch
        {
            (byte)'b' => '\b',
            (byte)'f' => '\f',
            (byte)'n' => '\n',
            (byte)'r' => '\r',
            (byte)'t' => '\t',
            _ => (char)kind, // '"', '\\' and '/' stand for themselves.
        };
    }

    private static string NonCharacter(int codePoint) =>
        $"the non-character U+{codePoint.ToString("X4", CultureInfo.InvariantCulture)}";

    private static ProtocolException Invalid(string subject, TextProblem problem) =>
        new(ErrorCodes.InvalidText, $"{subject} is not valid text: {problem.Description} at UTF-16 offset {problem.Offset}.");
}

/// <summary>Where text breaks <see cref="TextRules"/>: a UTF-16 offset and what is there (never the text itself).</summary>
internal readonly record struct TextProblem(int Offset, string Description);
