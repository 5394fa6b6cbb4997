using System.Text;
using System.Text.Json;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.Tests.Protocol;

/// <summary>The text rule every string the gateway reads must keep, and its safe decoding from JSON and UTF-8.</summary>
[Trait("Category", "Unit")]
public sealed class TextRulesTests
{
    [Theory]
    [InlineData("plain ascii", "plain ascii")]
    [InlineData("مرحبا", "مرحبا")]
    [InlineData("emoji \\ud83d\\ude00 pair", "emoji 😀 pair")]
    [InlineData("escapes \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9", "escapes \" \\ / \b \f \n \r \t é")]
    [InlineData("edges \\ufdcf \\ufdf0 \\ufffd \\ufffc", "edges \ufdcf \ufdf0 \ufffd \ufffc")]
    public void DecodeJsonString_ValidText_IsDecodedExactly(string jsonInside, string expected)
    {
        Assert.Equal(expected, ReadField("\"" + jsonInside + "\""));
    }

    [Theory]
    [InlineData("a\\ud800b", 1, "a lone surrogate")]
    [InlineData("ab\\udc00", 2, "a lone surrogate")]
    [InlineData("\\udc00\\ud800", 0, "a lone surrogate")]
    [InlineData("xyz\\ud800", 3, "a lone surrogate")]
    [InlineData("a\\u0000", 1, "U+0000")]
    [InlineData("a\\ufffe", 1, "the non-character U+FFFE")]
    [InlineData("a\\uffff", 1, "the non-character U+FFFF")]
    [InlineData("\\ufdd0", 0, "the non-character U+FDD0")]
    [InlineData("\\ufdef", 0, "the non-character U+FDEF")]
    [InlineData("😀\\ud83f\\udffe", 2, "the non-character U+1FFFE")]
    [InlineData("\\udbff\\udfff", 0, "the non-character U+10FFFF")]
    public void DecodeJsonString_BrokenText_IsInvalidTextAtItsUtf16Offset(string jsonInside, int offset, string problem)
    {
        var error = Assert.Throws<ProtocolException>(() => ReadField("\"" + jsonInside + "\""));
        Assert.Equal(ErrorCodes.InvalidText, error.Code);
        Assert.Equal($"Field 'f' is not valid text: {problem} at UTF-16 offset {offset}.", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF }, 1)]
    [InlineData(new byte[] { 0xC3, 0x28 }, 1)]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, 1)] // a surrogate encoded as UTF-8 (CESU-8)
    [InlineData(new byte[] { 0xC0, 0xAF }, 1)] // overlong '/'
    [InlineData(new byte[] { 0xF0, 0x9F }, 1)] // truncated 4-byte sequence
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, 1)] // past U+10FFFF
    public void DecodeJsonString_InvalidUtf8_IsInvalidTextAtItsUtf16Offset(byte[] bad, int offset)
    {
        // "é" first: two bytes but one UTF-16 unit, so a byte offset would be wrong.
        byte[] json = [.. "{\"f\":\"é"u8, .. bad, .. "z\"}"u8];
        using var document = JsonDocument.Parse(json);
        var error = Assert.Throws<ProtocolException>(() => new JsonFields(document.RootElement).String("f"));
        Assert.Equal(ErrorCodes.InvalidText, error.Code);
        Assert.Equal($"Field 'f' is not valid text: invalid UTF-8 at UTF-16 offset {offset}.", error.Message);
    }

    [Fact]
    public void InvalidText_Message_NamesNestedFieldsByPath_AndNeverEchoesTheText()
    {
        using var document = JsonDocument.Parse("""{"output_format":{"encoding":"secret\ud800"}}""");
        var error = Assert.Throws<ProtocolException>(() => new JsonFields(document.RootElement).Object("output_format")!.Value.String("encoding"));
        Assert.Contains("'output_format.encoding'", error.Message, StringComparison.Ordinal);
        Assert.Contains("offset 6", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FindProblem_WholeBmpAndPlaneEdges_RefusesExactlyTheRule()
    {
        for (var c = 0; c <= 0xFFFF; c++)
        {
            var expected = c == 0 || c is >= 0xD800 and <= 0xDFFF || c is >= 0xFDD0 and <= 0xFDEF || c is 0xFFFE or 0xFFFF;
            Assert.True(expected == TextRules.FindProblem([(char)c]).HasValue, $"U+{c:X4}");
        }

        for (var plane = 1; plane <= 16; plane++)
        {
            foreach (var low in new[] { 0xFFFD, 0xFFFE, 0xFFFF })
            {
                var text = char.ConvertFromUtf32((plane << 16) | low);
                Assert.True((low != 0xFFFD) == TextRules.FindProblem(text).HasValue, $"plane {plane} U+{(plane << 16) | low:X}");
            }
        }
    }

    [Fact]
    public void PropertyNames_ThatAreNotText_AreIgnoredLikeAnyUnknownField()
    {
        // Broken names before and after the wanted field: looking up any field, present or absent, walks past them
        // (JsonElement.TryGetProperty throws there). Escaped names that decode to a field's name are that field.
        byte[] json = [.. "{\"a\":\"first\",\"\\ud800\":1,\""u8, 0xFF, .. "\":2,\"te\\u0078t\":\"escaped\",\"\\udc00\\ufffe\":3,\"a\":\"last\"}"u8];
        using var document = JsonDocument.Parse(json);
        var fields = new JsonFields(document.RootElement);
        Assert.Equal("last", fields.String("a"));
        Assert.Equal("escaped", fields.String("text"));
        Assert.Null(fields.String("absent"));
        Assert.Null(fields.StringOrNull("absent"));
    }

    private static string? ReadField(string jsonValue)
    {
        using var document = JsonDocument.Parse(Encoding.UTF8.GetBytes("{\"f\":" + jsonValue + "}"));
        return new JsonFields(document.RootElement).String("f");
    }
}
