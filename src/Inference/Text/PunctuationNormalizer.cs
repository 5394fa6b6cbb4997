using System.Text;

namespace Sawt.Inference.Text;

/// <summary>
/// The reference <c>punc_norm</c> (model-contract.md section 5.1) over a <see cref="PunctuationRules"/> table
/// (multilingual or Turbo), with one deliberate difference: empty or whitespace-only text is rejected instead
/// of being replaced by a filler sentence (a server must not speak text the caller did not send). The
/// multilingual table also counts the Arabic enders as sentence enders (see <see cref="PunctuationRules.Multilingual"/>).
/// </summary>
internal static class PunctuationNormalizer
{
    /// <summary>Normalises punctuation with the multilingual rules; throws <see cref="InferenceErrorCode.EmptyText"/> for empty or whitespace-only text.</summary>
    public static string Normalize(string text) => Normalize(text, PunctuationRules.Multilingual);

    /// <summary>Normalises punctuation with <paramref name="rules"/>; throws <see cref="InferenceErrorCode.EmptyText"/> for empty or whitespace-only text.</summary>
    public static string Normalize(string text, PunctuationRules rules)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(rules);
        if (CollapseWhitespace(text).Length == 0)
        {
            throw new InferenceException(InferenceErrorCode.EmptyText, "The text is empty or contains only whitespace; there is nothing to speak.");
        }

        // Python's str.islower()/upper() on the first character; lower-casing follows later in the MTL
        // pipeline (so there this only matters for faithfulness), Turbo keeps the case.
        if (char.IsLower(text[0]))
        {
            text = string.Concat(char.ToUpperInvariant(text[0]).ToString(), text.AsSpan(1));
        }

        text = CollapseWhitespace(text);

        foreach (var (old, replacement) in rules.Replacements)
        {
            text = text.Replace(old, replacement, StringComparison.Ordinal);
        }

        text = text.TrimEnd(' ');
        if (text.Length == 0 || rules.SentenceEnders.IndexOf(text[^1]) < 0)
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
