using Sawt.Inference.Text;

namespace Sawt.Inference.Tests.Text;

[Trait("Category", "Unit")]
public sealed class PunctuationNormalizerTests
{
    [Theory]
    [InlineData("hello", "Hello.")]
    [InlineData("Hello", "Hello.")]
    [InlineData("élan", "Élan.")]
    public void Normalize_FirstLowerCaseCharacter_Capitalised(string input, string expected)
    {
        Assert.Equal(expected, PunctuationNormalizer.Normalize(input));
    }

    [Theory]
    [InlineData("  a   b\t\nc  ", "a b c.")]
    [InlineData("a\u00A0\u3000b", "A b.")]
    public void Normalize_WhitespaceRuns_CollapsedToOneSpace(string input, string expected)
    {
        // The reference capitalises before collapsing, so leading whitespace leaves the first letter alone.
        Assert.Equal(expected, PunctuationNormalizer.Normalize(input));
    }

    [Theory]
    [InlineData("Wait...what", "Wait, what.")]
    [InlineData("Wait\u2026what", "Wait, what.")]
    [InlineData("Note: this", "Note, this.")]
    [InlineData("a - b", "A, b.")]
    [InlineData("a;b", "A, b.")]
    [InlineData("well\u2014yes", "Well-yes.")]
    [InlineData("well\u2013yes", "Well-yes.")]
    [InlineData("x ,y", "X,y.")]
    [InlineData("\u201Chi\u201D now", "\"hi\" now.")]
    [InlineData("\u2018hi\u2019 now", "'hi' now.")]
    public void Normalize_ReplacementRule_Applied(string input, string expected)
    {
        Assert.Equal(expected, PunctuationNormalizer.Normalize(input));
    }

    [Fact]
    public void Normalize_EllipsisBeforeComma_ReferenceOrderKept()
    {
        // "..." becomes ", " first, then " ," becomes ",": "a... , b" -> "A,  , b" -> "A, , b".
        Assert.Equal("A, , b.", PunctuationNormalizer.Normalize("a... , b"));
    }

    [Theory]
    [InlineData("Done!")]
    [InlineData("Done?")]
    [InlineData("Done.")]
    [InlineData("Done-")]
    [InlineData("Done,")]
    [InlineData("好、")]
    [InlineData("好，")]
    [InlineData("好。")]
    [InlineData("好？")]
    [InlineData("好！")]
    public void Normalize_EndsWithSentenceEnder_NothingAppended(string input)
    {
        Assert.Equal(input, PunctuationNormalizer.Normalize(input));
    }

    [Theory]
    [InlineData("Ok ", "Ok.")]
    [InlineData("Ok\"", "Ok\".")]
    [InlineData("Ok)", "Ok).")]
    public void Normalize_NoEnder_StopAppended(string input, string expected)
    {
        Assert.Equal(expected, PunctuationNormalizer.Normalize(input));
    }

    [Theory]
    [InlineData("كيف حالك؟")]
    [InlineData("مرحبا،")]
    [InlineData("مرحبا؛")]
    public void Normalize_ArabicEnders_KeptWithoutStop(string input)
    {
        Assert.Equal(input, PunctuationNormalizer.Normalize(input));
    }

    [Fact]
    public void Normalize_ArabicSemicolonMidText_NotReplaced()
    {
        Assert.Equal("أ؛ ب.", PunctuationNormalizer.Normalize("أ؛ ب"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\n\t")]
    [InlineData("\u001C")]
    public void Normalize_EmptyText_ThrowsEmptyText(string input)
    {
        var ex = Assert.Throws<InferenceException>(() => PunctuationNormalizer.Normalize(input));

        Assert.Equal(InferenceErrorCode.EmptyText, ex.Code);
    }
}
