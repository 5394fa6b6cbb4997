using System.Text;

namespace Sawt.Inference.Text;

/// <summary>
/// The reference multilingual <c>punc_norm</c> (model-contract.md section 5.1), with two deliberate
/// differences: empty or whitespace-only text is rejected instead of being replaced by a filler sentence
/// (a server must not speak text the caller did not send), and the Arabic enders <c>؟ ، ؛</c> count as
/// sentence enders so no "." is appended after them (they are the Arabic forms of "?", "," and ";",
/// whose Latin forms already end a sentence in the reference, ";" via its ", " replacement).
/// The ";" rule matches only U+003B, so the Arabic semicolon U+061B is kept as written.
/// </summary>
internal static class PunctuationNormalizer
{
    /// <summary>Replacements in reference order; order matters ("..." before ",", " - " before "–").</summary>
    private static readonly (string Old, string New)[] Replacements =
    [
        ("...", ", "),
        ("\u2026", ", "),
        (":", ","),
        (" - ", ", "),
        (";", ", "),
        ("\u2014", "-"),
        ("\u2013", "-"),
        (" ,", ","),
        ("\u201C", "\""),
        ("\u201D", "\""),
        ("\u2018", "'"),
        ("\u2019", "'"),
    ];

    /// <summary>Reference enders (". ! ? - , 、 ， 。 ？ ！") plus the Arabic question mark, comma and semicolon.</summary>
    private const string SentenceEnders = ".!?-,\u3001\uFF0C\u3002\uFF1F\uFF01\u061F\u060C\u061B";

    /// <summary>Normalises punctuation; throws <see cref="InferenceErrorCode.EmptyText"/> for empty or whitespace-only text.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (CollapseWhitespace(text).Length == 0)
        {
            throw new InferenceException(InferenceErrorCode.EmptyText, "The text is empty or contains only whitespace; there is nothing to speak.");
        }

        // Python's str.islower()/upper() on the first character; lower-casing follows later in the MTL
        // pipeline, so this only matters for faithfulness.
        if (char.IsLower(text[0]))
        {
            text = string.Concat(char.ToUpperInvariant(text[0]).ToString(), text.AsSpan(1));
        }

        text = CollapseWhitespace(text);

        foreach (var (old, replacement) in Replacements)
        {
            text = text.Replace(old, replacement, StringComparison.Ordinal);
        }

        text = text.TrimEnd(' ');
        if (text.Length == 0 || SentenceEnders.IndexOf(text[^1]) < 0)
        {
            text += ".";
        }

        return text;
    }

    /// <summary>Python's <c>" ".join(text.split())</c>: Unicode whitespace runs become one space, ends trimmed.</summary>
    private static string CollapseWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (IsPythonWhitespace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>Python's str.split() also splits on the information separators U+001C..U+001F.</summary>
    private static bool IsPythonWhitespace(char c) => char.IsWhiteSpace(c) || c is >= '\u001C' and <= '\u001F';
}
