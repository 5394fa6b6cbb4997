using Sawt.Inference.Text;

namespace Sawt.Inference.Tests.Text;

[Trait("Category", "Unit")]
public sealed class TextValidationTests
{
    /// <summary>One text per class of invalid input, the UTF-16 index that must be reported and the code point named.</summary>
    public static TheoryData<string, string, int, string> InvalidTexts => new()
    {
        { "nul", "ab\0cd", 2, "U+0000" },
        { "lone high surrogate", "ab\uD800cd", 2, "U+D800" },
        { "high surrogate at the end", "abcd\uD83D", 4, "U+D83D" },
        { "lone low surrogate", "ab\uDC00cd", 2, "U+DC00" },
        { "low surrogate at the start", "\uDE00abc", 0, "U+DE00" },
        { "pair in the wrong order", "ab\uDE00\uD83Dcd", 2, "U+DE00" },
        { "two high surrogates", "ab\uD83D\uD83D\uDE00", 2, "U+D83D" },
        { "first of the FDD0 block", "ab\uFDD0cd", 2, "U+FDD0" },
        { "last of the FDD0 block", "ab\uFDEF", 2, "U+FDEF" },
        { "U+FFFE", "ab\uFFFEcd", 2, "U+FFFE" },
        { "U+FFFF", "\uFFFF ab", 0, "U+FFFF" },
        { "plane 1 FFFE", "ab\U0001FFFEcd", 2, "U+1FFFE" },
        { "plane 1 FFFF", "ab\U0001FFFF", 2, "U+1FFFF" },
        { "plane 16 FFFE", "abc \U0010FFFE", 4, "U+10FFFE" },
        { "plane 16 FFFF", "abc \U0010FFFF", 4, "U+10FFFF" },
        { "after a valid pair", "\U0001F600 x\uFFFE", 4, "U+FFFE" },
        { "first of several", "a\uFDD5\0\uD800", 1, "U+FDD5" },
    };

    /// <summary>Neighbours of every invalid range, and ordinary astral characters.</summary>
    public static TheoryData<string> ValidTexts => new()
    {
        string.Empty,
        "plain ascii",
        "\u0001 control characters other than NUL \u001F\u007F",
        "\uFDCF\uFDF0\uFDF2\uFDFA\uFDFD",
        "\uFFFD replacement, \uFEFF byte order mark, \uFFFC object",
        "\U0001F600\U0001F44D\U0001F3FD emoji",
        "\U00020000\U0002A6DF CJK extension B",
        "\U0001FFFD\U0010FFFD last characters before the plane ends",
        "\U000E0001 tag, \U000F0000 private use",
    };

    [Theory]
    [MemberData(nameof(InvalidTexts))]
    public void IndexOfInvalid_EachClass_FirstOffendingIndex(string name, string text, int index, string codePoint)
    {
        Assert.Equal(index, TextValidation.IndexOfInvalid(text));
        Assert.False(TextValidation.TryValidate(text, out var invalidIndex));
        Assert.Equal(index, invalidIndex);
        Assert.False(string.IsNullOrEmpty(name + codePoint));
    }

    [Theory]
    [MemberData(nameof(InvalidTexts))]
    public void Validate_EachClass_InvalidTextNamingCodePointAndOffsetButNotTheText(string name, string text, int index, string codePoint)
    {
        const string Secret = "Confidential words. ";

        var error = Assert.Throws<InferenceException>(() => TextValidation.Validate(Secret + text));

        Assert.Equal(InferenceErrorCode.InvalidText, error.Code);
        Assert.Equal("invalid_text", error.WireCode);
        Assert.False(error.IsRetryable);
        Assert.Contains($"{codePoint} ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"at UTF-16 offset {Secret.Length + index};", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Confidential", error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(name));
    }

    [Fact]
    public void Validate_Offset_IsAddedToTheReportedPosition()
    {
        var error = Assert.Throws<InferenceException>(() => TextValidation.Validate("ab\0", offset: 100));

        Assert.Contains("at UTF-16 offset 102;", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ValidTexts))]
    public void Validate_ValidText_Passes(string text)
    {
        Assert.Equal(-1, TextValidation.IndexOfInvalid(text));
        Assert.True(TextValidation.TryValidate(text, out var index));
        Assert.Equal(-1, index);
        TextValidation.Validate(text);
    }

    [Fact]
    public void IndexOfInvalid_AllowIncompleteEnd_OnlyForATrailingHighSurrogate()
    {
        Assert.Equal(-1, TextValidation.IndexOfInvalid("ab\uD83D", allowIncompleteEnd: true));
        Assert.Equal(2, TextValidation.IndexOfInvalid("ab\uDE00", allowIncompleteEnd: true));
        Assert.Equal(2, TextValidation.IndexOfInvalid("ab\uD83Dc", allowIncompleteEnd: true));
    }

    [Fact]
    public void IndexOfInvalid_EveryBmpUnit_AgreesWithTheDefinition()
    {
        // Each unit alone: invalid exactly when it is NUL, a surrogate, U+FDD0..U+FDEF, U+FFFE or U+FFFF.
        for (var c = 0; c <= 0xFFFF; c++)
        {
            var expected = c == 0 || c is >= 0xD800 and <= 0xDFFF || c is >= 0xFDD0 and <= 0xFDEF || c >= 0xFFFE;
            Assert.True(expected == (TextValidation.IndexOfInvalid([(char)c]) == 0), $"U+{c:X4}");
        }
    }

    [Fact]
    public void IndexOfInvalid_EveryPlaneEnd_IsANonCharacter()
    {
        for (var plane = 1; plane <= 16; plane++)
        {
            foreach (var last in new[] { 0xFFFD, 0xFFFE, 0xFFFF })
            {
                var text = "x" + char.ConvertFromUtf32((plane << 16) | last);
                Assert.Equal(last == 0xFFFD ? -1 : 1, TextValidation.IndexOfInvalid(text));
            }
        }
    }
}
