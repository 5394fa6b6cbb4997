using Sawt.Inference.Text;

namespace Sawt.Inference.Tests.Text;

/// <summary>Turbo's <c>punc_norm</c> table against the multilingual one (model-contract.md section 5.1).</summary>
[Trait("Category", "Unit")]
public sealed class TurboPunctuationRulesTests
{
    [Theory]
    [InlineData("Wait...what", "Wait...what.", "Wait, what.")]
    [InlineData("a - b", "A - b.", "A, b.")]
    [InlineData("a;b", "A;b.", "A, b.")]
    [InlineData("Wait\u2026what", "Wait, what.", "Wait, what.")]
    [InlineData("Note: this", "Note, this.", "Note, this.")]
    [InlineData("well\u2014yes", "Well-yes.", "Well-yes.")]
    public void Normalize_TurboRules_OmitEllipsisSpacedDashAndSemicolon(string input, string turbo, string multilingual)
    {
        Assert.Equal(turbo, PunctuationNormalizer.Normalize(input, PunctuationRules.Turbo));
        Assert.Equal(multilingual, PunctuationNormalizer.Normalize(input, PunctuationRules.Multilingual));
    }

    [Theory]
    [InlineData("\u4F60\u597D\u3002")]
    [InlineData("\u4F60\u597D\uFF01")]
    [InlineData("Ok\u061F")]
    public void Normalize_TurboRules_NoCjkOrArabicEnders(string input)
    {
        Assert.Equal(input + ".", PunctuationNormalizer.Normalize(input, PunctuationRules.Turbo));
        Assert.Equal(input, PunctuationNormalizer.Normalize(input, PunctuationRules.Multilingual));
    }
}
