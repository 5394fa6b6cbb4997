using System.Text;

namespace Sawt.Inference.Text;

/// <summary>
/// The HF tokenizers BPE model as the Chatterbox grapheme tokenizer uses it: a word is split into
/// Unicode scalar values, each looked up in the vocabulary (unknown ones become the unk id, fused into
/// one when <c>fuse_unk</c> is set), then the adjacent pair with the lowest merge rank is merged
/// (leftmost first among equal ranks) until no pair has a merge. No continuing-subword prefix,
/// end-of-word suffix, byte fallback or dropout (the Chatterbox file uses none).
/// </summary>
internal sealed class BpeModel
{
    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<(int Left, int Right), (int Rank, int Id)> _merges;
    private readonly int _unkId;
    private readonly bool _fuseUnk;
    private readonly bool _ignoreMerges;

    /// <param name="vocab">Token to id.</param>
    /// <param name="merges">Merge pairs in priority order (first = rank 0); both parts and their concatenation must be in <paramref name="vocab"/>.</param>
    /// <param name="unkId">Id emitted for characters missing from the vocabulary.</param>
    /// <param name="fuseUnk">Fuse consecutive unknown characters into one unk id.</param>
    /// <param name="ignoreMerges">Emit a word found whole in the vocabulary without merging.</param>
    public BpeModel(Dictionary<string, int> vocab, IReadOnlyList<(string Left, string Right)> merges, int unkId, bool fuseUnk = false, bool ignoreMerges = false)
    {
        _vocab = vocab;
        _unkId = unkId;
        _fuseUnk = fuseUnk;
        _ignoreMerges = ignoreMerges;
        _merges = new Dictionary<(int, int), (int, int)>(merges.Count);
        for (var rank = 0; rank < merges.Count; rank++)
        {
            var (left, right) = merges[rank];
            if (!vocab.TryGetValue(left, out var leftId) || !vocab.TryGetValue(right, out var rightId))
            {
                throw new ArgumentException($"merge {rank} '{left} {right}' uses a token missing from the vocabulary");
            }

            if (!vocab.TryGetValue(left + right, out var mergedId))
            {
                throw new ArgumentException($"merge {rank} '{left} {right}' produces '{left + right}', which is missing from the vocabulary");
            }

            // HF keeps the first rank when a pair is listed twice.
            _merges.TryAdd((leftId, rightId), (rank, mergedId));
        }
    }

    /// <summary>Appends the ids of one pre-tokenised word to <paramref name="output"/>.</summary>
    public void Tokenize(ReadOnlySpan<char> word, List<long> output)
    {
        if (word.IsEmpty)
        {
            return;
        }

        var lookup = _vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        if (_ignoreMerges && lookup.TryGetValue(word, out var wholeId))
        {
            output.Add(wholeId);
            return;
        }

        var symbols = new List<int>(word.Length);
        var unk = new List<bool>(word.Length);
        var i = 0;
        while (i < word.Length)
        {
            Rune.DecodeFromUtf16(word[i..], out _, out var consumed);
            if (lookup.TryGetValue(word.Slice(i, consumed), out var id))
            {
                symbols.Add(id);
                unk.Add(false);
            }
            else if (!(_fuseUnk && unk.Count > 0 && unk[^1]))
            {
                symbols.Add(_unkId);
                unk.Add(true);
            }

            i += consumed;
        }

        MergeAll(symbols);
        foreach (var id in symbols)
        {
            output.Add(id);
        }
    }

    /// <summary>Repeatedly merges the lowest-ranked adjacent pair; words are short, so a linear scan per merge is fine.</summary>
    private void MergeAll(List<int> symbols)
    {
        while (symbols.Count > 1)
        {
            var bestRank = int.MaxValue;
            var bestPosition = -1;
            var bestId = 0;
            for (var p = 0; p < symbols.Count - 1; p++)
            {
                if (_merges.TryGetValue((symbols[p], symbols[p + 1]), out var merge) && merge.Rank < bestRank)
                {
                    bestRank = merge.Rank;
                    bestPosition = p;
                    bestId = merge.Id;
                }
            }

            if (bestPosition < 0)
            {
                return;
            }

            symbols[bestPosition] = bestId;
            symbols.RemoveAt(bestPosition + 1);
        }
    }
}
