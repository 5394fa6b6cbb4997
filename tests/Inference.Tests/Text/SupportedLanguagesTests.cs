using Sawt.Inference.Text;

namespace Sawt.Inference.Tests.Text;

[Trait("Category", "Unit")]
public sealed class SupportedLanguagesTests
{
    [Fact]
    public void All_Has23ContractCodes_Sorted()
    {
        Assert.Equal(23, SupportedLanguages.All.Count);
        Assert.Equal(SupportedLanguages.All.Order(StringComparer.Ordinal), SupportedLanguages.All);
        Assert.Equal(
            "ar da de el en es fi fr he hi it ja ko ms nl no pl pt ru sv sw tr zh",
            string.Join(' ', SupportedLanguages.All));
    }

    [Theory]
    [InlineData("en", true)]
    [InlineData("ZH", true)]
    [InlineData(" ar ", true)]
    [InlineData("uk", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsSupported_Code_ReportsSupport(string? code, bool expected)
    {
        Assert.Equal(expected, SupportedLanguages.IsSupported(code));
    }

    [Fact]
    public void Normalize_MixedCase_ReturnsLowerCase()
    {
        Assert.Equal("pt", SupportedLanguages.Normalize(" PT\t"));
    }

    [Theory]
    [InlineData("uk")]
    [InlineData(null)]
    public void Normalize_Unknown_ThrowsUnsupportedLanguageListingCodes(string? code)
    {
        var ex = Assert.Throws<InferenceException>(() => SupportedLanguages.Normalize(code));

        Assert.Equal(InferenceErrorCode.UnsupportedLanguage, ex.Code);
        Assert.Contains("sw, tr, zh", ex.Message, StringComparison.Ordinal);
    }
}
