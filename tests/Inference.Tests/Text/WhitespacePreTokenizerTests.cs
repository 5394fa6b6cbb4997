using Sawt.Inference.Text;

namespace Sawt.Inference.Tests.Text;

[Trait("Category", "Unit")]
public sealed class WhitespacePreTokenizerTests
{
    private static string[] Split(string text)
    {
        var words = new List<(int Start, int Length)>();
        WhitespacePreTokenizer.Split(text, 0, text.Length, words);
        return [.. words.Select(w => text.Substring(w.Start, w.Length))];
    }

    [Fact]
    public void Split_WordsAndPunctuation_MatchesRegexSemantics()
    {
        Assert.Equal(["hello", ",", "world", "?!", "x_1"], Split("hello, world?! x_1"));
    }

    [Fact]
    public void Split_CombiningMarks_StayInWord()
    {
        Assert.Equal(["cafe\u0301", "."], Split("cafe\u0301."));
    }

    [Fact]
    public void Split_DevanagariSpacingMarks_StayInWord()
    {
        // ा (U+093E) is a spacing mark (Mc); .NET's \w would split the word there.
        Assert.Equal(["नमस्कार", "।"], Split("नमस्कार।"));
    }

    [Fact]
    public void Split_ArabicPunctuation_SeparateFromWords()
    {
        Assert.Equal(["مرحبا", "،", "كيف", "؟"], Split("مرحبا، كيف؟"));
    }

    [Fact]
    public void Split_Substring_OnlyThatRange()
    {
        Assert.Equal(["bc"], SplitRange("abc d", 1, 2));
    }

    private static string[] SplitRange(string text, int start, int length)
    {
        var words = new List<(int Start, int Length)>();
        WhitespacePreTokenizer.Split(text, start, length, words);
        return [.. words.Select(w => text.Substring(w.Start, w.Length))];
    }
}
