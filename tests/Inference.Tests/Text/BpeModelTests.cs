using Sawt.Inference.Text;

namespace Sawt.Inference.Tests.Text;

[Trait("Category", "Unit")]
public sealed class BpeModelTests
{
    private static readonly Dictionary<string, int> Vocab = new(StringComparer.Ordinal)
    {
        ["[UNK]"] = 1, ["a"] = 10, ["b"] = 11, ["c"] = 12, ["ab"] = 20, ["bc"] = 21, ["abc"] = 30, ["aa"] = 40,
    };

    private static long[] Tokenize(string word, IReadOnlyList<(string, string)> merges, bool fuseUnk = false)
    {
        var model = new BpeModel(Vocab, merges, unkId: 1, fuseUnk);
        var ids = new List<long>();
        model.Tokenize(word, ids);
        return [.. ids];
    }

    [Fact]
    public void Tokenize_LowerRankMergeFirst_WinsOverLeftmost()
    {
        Assert.Equal([10, 21], Tokenize("abc", [("b", "c"), ("a", "b")]));
        Assert.Equal([20, 12], Tokenize("abc", [("a", "b"), ("b", "c")]));
    }

    [Fact]
    public void Tokenize_MergedSymbols_MergeAgain()
    {
        Assert.Equal([30], Tokenize("abc", [("b", "c"), ("a", "b"), ("a", "bc")]));
        Assert.Equal([30], Tokenize("abc", [("a", "b"), ("ab", "c")]));
    }

    [Fact]
    public void Tokenize_MergeNeedsIntermediate_StopsWithoutIt()
    {
        // "ab c" cannot apply because "b c" ranks higher and consumes "b" first.
        Assert.Equal([10, 21], Tokenize("abc", [("b", "c"), ("a", "b"), ("ab", "c")]));
    }

    [Fact]
    public void Tokenize_EqualRanks_LeftmostFirst()
    {
        Assert.Equal([40, 10], Tokenize("aaa", [("a", "a")]));
        Assert.Equal([40, 40], Tokenize("aaaa", [("a", "a")]));
    }

    [Fact]
    public void Tokenize_UnknownCharacters_UnkEach()
    {
        Assert.Equal([10, 1, 1, 11], Tokenize("axyb", [("a", "b")]));
    }

    [Fact]
    public void Tokenize_UnknownCharactersWithFuseUnk_OneUnk()
    {
        Assert.Equal([10, 1, 11], Tokenize("axyb", [], fuseUnk: true));
    }

    [Fact]
    public void Tokenize_SurrogatePair_OneCharacter()
    {
        Assert.Equal([1, 10], Tokenize("\U0001F600a", []));
    }

    [Fact]
    public void Constructor_MergeResultMissing_Throws()
    {
        Assert.Throws<ArgumentException>(() => new BpeModel(Vocab, [("c", "a")], 1));
    }
}
