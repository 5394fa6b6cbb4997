namespace Sawt.Inference.Text;

/// <summary>
/// Finds tokenizer.json <c>added_tokens</c> in raw text before pre-tokenisation, like the HF
/// AddedVocabulary: leftmost match wins, and among matches at the same position the longest wins.
/// The per-token flags (<c>single_word</c>, <c>lstrip</c>, <c>rstrip</c>, <c>normalized</c>) are not
/// applied; the Chatterbox files set none of them in a way that matters for bracketed tags.
/// </summary>
internal sealed class AddedTokenMatcher
{
    /// <summary>Candidates by first UTF-16 unit, longest first.</summary>
    private readonly Dictionary<char, (string Content, int Id)[]> _byFirstChar;

    public AddedTokenMatcher(IEnumerable<KeyValuePair<string, int>> tokens)
    {
        _byFirstChar = tokens
            .Where(t => t.Key.Length > 0)
            .GroupBy(t => t.Key[0])
            .ToDictionary(
                g => g.Key,
                g => g.OrderByDescending(t => t.Key.Length).ThenBy(t => t.Key, StringComparer.Ordinal)
                    .Select(t => (t.Key, t.Value)).ToArray());
    }

    /// <summary>
    /// Splits <paramref name="text"/> into runs: added tokens (Id set) and plain text between them (Id null).
    /// </summary>
    public List<TextSegment> Split(string text)
    {
        var segments = new List<TextSegment>();
        var plainStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (TryMatchAt(text, i, out var length, out var id))
            {
                if (i > plainStart)
                {
                    segments.Add(new TextSegment(plainStart, i - plainStart, null));
                }

                segments.Add(new TextSegment(i, length, id));
                i += length;
                plainStart = i;
            }
            else
            {
                i++;
            }
        }

        if (plainStart < text.Length)
        {
            segments.Add(new TextSegment(plainStart, text.Length - plainStart, null));
        }

        return segments;
    }

    private bool TryMatchAt(string text, int index, out int length, out int id)
    {
        if (_byFirstChar.TryGetValue(text[index], out var candidates))
        {
            foreach (var (content, candidateId) in candidates)
            {
                if (text.AsSpan(index).StartsWith(content, StringComparison.Ordinal))
                {
                    length = content.Length;
                    id = candidateId;
                    return true;
                }
            }
        }

        length = 0;
        id = 0;
        return false;
    }
}
