namespace Sawt.Inference.Text;

/// <summary>
/// A loaded HF tokenizer.json of the shape Chatterbox uses: added tokens first, then the Whitespace
/// pre-tokenizer, then BPE per word; the template is applied by the caller. Immutable and thread-safe.
/// </summary>
internal sealed class HfTokenizer(
    IReadOnlyDictionary<string, int> addedTokenIds,
    BpeModel model,
    TemplateWrapping template,
    int vocabularySize)
{
    private readonly AddedTokenMatcher _addedTokens = new(addedTokenIds);

    public TemplateWrapping Template { get; } = template;

    /// <summary>Added tokens (matched before pre-tokenisation) by content.</summary>
    public IReadOnlyDictionary<string, int> AddedTokenIds { get; } = addedTokenIds;

    /// <summary>Distinct token contents in the vocabulary and the added tokens.</summary>
    public int VocabularySize { get; } = vocabularySize;

    /// <summary>Encodes text without the template: the ids of the <c>$A</c> sequence.</summary>
    public List<long> EncodeSequence(string text)
    {
        var ids = new List<long>(text.Length);
        var words = new List<(int Start, int Length)>();
        foreach (var segment in _addedTokens.Split(text))
        {
            if (segment.TokenId is { } id)
            {
                ids.Add(id);
                continue;
            }

            words.Clear();
            WhitespacePreTokenizer.Split(text, segment.Start, segment.Length, words);
            foreach (var (start, length) in words)
            {
                model.Tokenize(text.AsSpan(start, length), ids);
            }
        }

        return ids;
    }
}
