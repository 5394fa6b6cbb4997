using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.Tests.Protocol;

/// <summary>Strict query strings: malformed escapes and repeats are refused, undecodable text is invalid_text.</summary>
[Trait("Category", "Unit")]
public sealed class QueryParametersTests
{
    [Theory]
    [InlineData("?text=hello+world&x=1", "hello world")]
    [InlineData("text=%D9%85%D8%B1%D8%AD%D8%A8%D8%A7", "مرحبا")]
    [InlineData("?te%78t=a%2Bb%25", "a+b%")]
    [InlineData("?text=", "")]
    [InlineData("?text", "")]
    [InlineData("?other=%ZZ&%FF=%FF&text=fine", "fine")]
    public void Get_ValidQueries_DecodeLikeFormEncoding(string raw, string expected)
    {
        Assert.Equal(expected, new QueryParameters(raw).Get("text"));
    }

    [Fact]
    public void Get_Absent_IsNull()
    {
        Assert.Null(new QueryParameters("?a=1").Get("text"));
        Assert.Null(new QueryParameters(null).Get("text"));
    }

    [Theory]
    [InlineData("?text=%", ErrorCodes.InvalidRequest, "malformed percent-escape")]
    [InlineData("?text=a%4", ErrorCodes.InvalidRequest, "malformed percent-escape")]
    [InlineData("?text=%ZZ", ErrorCodes.InvalidRequest, "malformed percent-escape")]
    [InlineData("?text=%+1", ErrorCodes.InvalidRequest, "malformed percent-escape")]
    [InlineData("?text=a&text=b", ErrorCodes.InvalidRequest, "more than once")]
    [InlineData("?text=ab%FF", ErrorCodes.InvalidText, "invalid UTF-8 at UTF-16 offset 2")]
    [InlineData("?text=%ED%A0%80", ErrorCodes.InvalidText, "invalid UTF-8 at UTF-16 offset 0")]
    [InlineData("?text=a%00", ErrorCodes.InvalidText, "U+0000 at UTF-16 offset 1")]
    [InlineData("?text=%EF%BF%BE", ErrorCodes.InvalidText, "U+FFFE at UTF-16 offset 0")]
    public void Get_BrokenValues_AreRefusedNamingTheParameter(string raw, string code, string detail)
    {
        var error = Assert.Throws<ProtocolException>(() => new QueryParameters(raw).Get("text"));
        Assert.Equal(code, error.Code);
        Assert.Contains("'text'", error.Message, StringComparison.Ordinal);
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
    }
}
