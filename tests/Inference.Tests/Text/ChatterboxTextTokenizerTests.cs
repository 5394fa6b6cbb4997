using Sawt.Inference.Text;

namespace Sawt.Inference.Tests.Text;

[Trait("Category", "Unit")]
public sealed class ChatterboxTextTokenizerTests(SyntheticTokenizerFixture fixture) : IClassFixture<SyntheticTokenizerFixture>
{
    private readonly ChatterboxTextTokenizer _tokenizer = ChatterboxTextTokenizer.Load(fixture.Directory);

    public static TheoryData<string, string, long[]> Goldens => new()
    {
        { "en", "Yes", [6563, 255, 708, 38, 61, 9, 0, 6561, 6561] },
        { "en", "How are you?", [6563, 255, 708, 21, 69, 2, 127, 2, 74, 13, 0, 6561, 6561] },
        { "fr", "Café au lait", [6563, 255, 634, 183, 132, 764, 2, 14, 34, 2, 25, 14, 60, 9, 0, 6561, 6561] },
        { "ko", "안녕하세요", [6563, 255, 724, 1794, 1880, 1954, 1785, 1886, 1971, 1801, 1880, 1792, 1885, 1794, 1892, 9, 0, 6561, 6561] },
        { "zh", "我饿了", [6563, 255, 725, 740, 749, 741, 2064, 746, 754, 740, 749, 741, 2064, 746, 746, 2064, 9, 0, 6561, 6561] },
    };

    public static TheoryData<string> Languages => [.. SupportedLanguages.All];

    [Theory]
    [MemberData(nameof(Goldens))]
    public void Encode_GoldenVector_MatchesReferenceIds(string language, string text, long[] expected)
    {
        var result = _tokenizer.Encode(text, language);

        Assert.Equal(expected, result.Ids);
    }

    [Theory]
    [MemberData(nameof(Goldens))]
    public void Encode_GoldenVector_IndexesPointAtStartAndStop(string language, string text, long[] expected)
    {
        var result = _tokenizer.Encode(text, language);

        Assert.Equal(1, result.TextStartIndex);
        Assert.Equal(expected.Length - 3, result.TextStopIndex);
        Assert.Equal(255, result.Ids[result.TextStartIndex]);
        Assert.Equal(0, result.Ids[result.TextStopIndex]);
        Assert.Equal(expected.Length - 3, result.TextIdCount);
    }

    [Fact]
    public void Encode_English_PreparedTextHasTagAndSpaceTokens()
    {
        var result = _tokenizer.Encode("How are you?", "en");

        Assert.Equal("[en]how[SPACE]are[SPACE]you?", result.PreparedText);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Encode_EverySupportedLanguage_StartsWithItsTag(string language)
    {
        var result = _tokenizer.Encode("Hello world", language);

        Assert.Equal(fixture.Id("[" + language + "]"), result.Ids[2]);
        Assert.Equal(6563, result.Ids[0]);
        Assert.Equal(255, result.Ids[1]);
    }

    [Theory]
    [InlineData("EN")]
    [InlineData(" en ")]
    [InlineData("En")]
    public void Encode_LanguageCaseAndSpaces_Accepted(string language)
    {
        var result = _tokenizer.Encode("Yes", language);

        Assert.Equal(708, result.Ids[2]);
    }

    [Theory]
    [InlineData("xx")]
    [InlineData("")]
    [InlineData("english")]
    [InlineData("zh-CN")]
    public void Encode_UnsupportedLanguage_ThrowsUnsupportedLanguage(string language)
    {
        var ex = Assert.Throws<InferenceException>(() => _tokenizer.Encode("Hello", language));

        Assert.Equal(InferenceErrorCode.UnsupportedLanguage, ex.Code);
        Assert.Contains("ar, da, de", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\r\n \u00A0\u3000")]
    public void Encode_EmptyOrWhitespaceText_ThrowsEmptyText(string text)
    {
        var ex = Assert.Throws<InferenceException>(() => _tokenizer.Encode(text, "en"));

        Assert.Equal(InferenceErrorCode.EmptyText, ex.Code);
        Assert.Equal("empty_text", ex.WireCode);
    }

    [Fact]
    public void Encode_TextOverCharacterLimit_ThrowsTextTooLong()
    {
        var text = new string('a', TextTokenizerOptions.DefaultMaxTextLength + 1);

        var ex = Assert.Throws<InferenceException>(() => _tokenizer.Encode(text, "en"));

        Assert.Equal(InferenceErrorCode.TextTooLong, ex.Code);
    }

    [Fact]
    public void Encode_TextAtCharacterLimit_Accepted()
    {
        var tokenizer = ChatterboxTextTokenizer.Load(fixture.Directory, new TextTokenizerOptions { MaxTextLength = 20 });

        var result = tokenizer.Encode(new string('b', 20), "en");

        Assert.Equal(20 + 1 + 1 + 2, result.TextIdCount);
    }

    [Fact]
    public void Encode_TooManyTextIds_ThrowsTextTooLong()
    {
        var tokenizer = ChatterboxTextTokenizer.Load(fixture.Directory, new TextTokenizerOptions { MaxTextIds = 10 });

        // [START] [en] b b b b b b . [STOP] = 10 ids: fits; one more letter does not.
        Assert.Equal(10, tokenizer.Encode("bbbbbb", "en").TextIdCount);
        var ex = Assert.Throws<InferenceException>(() => tokenizer.Encode("bbbbbbb", "en"));

        Assert.Equal(InferenceErrorCode.TextTooLong, ex.Code);
    }

    [Fact]
    public void MaxTextIds_Default_Is2048()
    {
        Assert.Equal(2048, _tokenizer.MaxTextIds);
        Assert.Equal(5000, _tokenizer.MaxTextLength);
    }

    [Fact]
    public void Encode_ArabicGreeting_TagSpaceAndNoUnknown()
    {
        var result = _tokenizer.Encode("مرحبا بكم", "ar");

        Assert.Equal([6563, 255, fixture.Id("[ar]")], result.Ids[..3]);
        Assert.DoesNotContain(ChatterboxConstants.TextUnknown, result.Ids);
        Assert.Single(result.Ids, id => id == ChatterboxConstants.TextSpace);
        var space = Array.IndexOf(result.Ids, ChatterboxConstants.TextSpace);
        Assert.Equal(fixture.Id("ا"), result.Ids[space - 1]);
        Assert.Equal(fixture.Id("ب"), result.Ids[space + 1]);
    }

    [Fact]
    public void Encode_ArabicQuestionMark_KeptWithoutAppendedStop()
    {
        var result = _tokenizer.Encode("كيف حالك؟", "ar");

        Assert.EndsWith("؟", result.PreparedText, StringComparison.Ordinal);
        Assert.Equal(fixture.Id("؟"), result.Ids[result.TextStopIndex - 1]);
        Assert.DoesNotContain(9L, result.Ids);
    }

    [Fact]
    public void Encode_ArabicCommaAndSemicolon_Kept()
    {
        var result = _tokenizer.Encode("مرحبا، كيف حالك؛ جيد", "ar");

        Assert.Contains(fixture.Id("،"), result.Ids);
        Assert.Contains(fixture.Id("؛"), result.Ids);
        Assert.DoesNotContain(fixture.Id(";"), result.Ids);
        Assert.DoesNotContain(fixture.Id(","), result.Ids);
        Assert.EndsWith("جيد.", result.PreparedText, StringComparison.Ordinal);
        Assert.DoesNotContain(ChatterboxConstants.TextUnknown, result.Ids);
    }

    [Fact]
    public void Encode_ArabicPresentationForm_DecomposedByNfkd()
    {
        var result = _tokenizer.Encode("\uFEFB", "ar");

        Assert.Equal("[ar]\u0644\u0627.", result.PreparedText);
        Assert.Equal([fixture.Id("\u0644"), fixture.Id("\u0627"), 9L], result.Ids[3..6]);
    }

    [Theory]
    [InlineData("el", "Καλημέρα σας!")]
    [InlineData("ru", "Привет, как дела? Всё хорошо.")]
    [InlineData("he", "שלום עולם")]
    [InlineData("hi", "नमस्ते, आप कैसे हैं?")]
    [InlineData("tr", "İstanbul'da güzel bir gün.")]
    [InlineData("pl", "Zażółć gęślą jaźń.")]
    [InlineData("de", "Größe und Maße!")]
    [InlineData("da", "Rødgrød med fløde.")]
    [InlineData("ja", "こんにちは、カタカナ。")]
    [InlineData("es", "¿Qué tal, señor?")]
    public void Encode_NonLatinAndAccentedText_HasNoUnknown(string language, string text)
    {
        var result = _tokenizer.Encode(text, language);

        Assert.DoesNotContain(ChatterboxConstants.TextUnknown, result.Ids);
    }

    [Fact]
    public void Encode_Korean_NfkdYieldsConjoiningJamo()
    {
        var result = _tokenizer.Encode("안", "ko");

        Assert.Equal("[ko]\u110B\u1161\u11AB.", result.PreparedText);
    }

    [Fact]
    public void Encode_GreekFinalCapitalSigma_LowersToFinalSigma()
    {
        var result = _tokenizer.Encode("ΟΔΟΣ ΣΑΣ", "el");

        Assert.Equal("[el]οδος[SPACE]σας.", result.PreparedText);
    }

    [Fact]
    public void Encode_CangjieSharedCode_AppendsIndexDigits()
    {
        // 日 and 曰 share code "a" in the synthetic table; 曰 is second, index 1.
        var result = _tokenizer.Encode("日曰", "zh");

        Assert.Equal("[zh][cj_a][cj_.][cj_a][cj_1][cj_.].", result.PreparedText);
        Assert.Equal([733, 2064, 733, fixture.Id("[cj_1]"), 2064, 9], result.Ids[3..^3]);
    }

    [Fact]
    public void Encode_CangjieIndexAboveNine_OneTokenPerDigit()
    {
        var directory = TempDirectory.Create();
        try
        {
            File.Copy(Path.Combine(fixture.Directory, "tokenizer.json"), Path.Combine(directory, "tokenizer.json"));
            var entries = Enumerable.Range(0, 12).Select(i => $"\"{(char)('\u4E00' + i)}\\tab\"");
            File.WriteAllText(Path.Combine(directory, "Cangjie5_TC.json"), "[" + string.Join(",", entries) + "]");
            var tokenizer = ChatterboxTextTokenizer.Load(directory);

            var result = tokenizer.Encode("\u4E0B", "zh");

            Assert.Equal("[zh][cj_a][cj_b][cj_1][cj_1][cj_.].", result.PreparedText);
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    [Fact]
    public void Encode_ChineseNotInCangjieTable_PassesThrough()
    {
        var result = _tokenizer.Encode("我们", "zh");

        Assert.Equal("[zh][cj_h][cj_q][cj_i][cj_.]们.", result.PreparedText);
    }

    [Fact]
    public void Encode_ChineseWithoutCangjieFile_DegradesWithOneNote()
    {
        var directory = TempDirectory.Create();
        try
        {
            File.Copy(Path.Combine(fixture.Directory, "tokenizer.json"), Path.Combine(directory, "tokenizer.json"));
            var logger = new ListLogger();
            var tokenizer = ChatterboxTextTokenizer.Load(directory, logger);

            var first = tokenizer.Encode("我饿了", "zh");
            tokenizer.Encode("我饿了", "zh");

            Assert.False(tokenizer.HasCangjieTable);
            Assert.Equal("[zh]我饿了.", first.PreparedText);
            Assert.Equal(1, logger.Count(3110));
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    [Fact]
    public void Encode_ChineseWithCangjieFile_NotesMissingSegmenterOnce()
    {
        var logger = new ListLogger();
        var tokenizer = ChatterboxTextTokenizer.Load(fixture.Directory, logger);

        tokenizer.Encode("我饿了", "zh");
        tokenizer.Encode("我饿了", "zh");

        Assert.True(tokenizer.HasCangjieTable);
        Assert.Equal(1, logger.Count(3111));
        Assert.Equal(0, logger.Count(3110));
    }

    [Theory]
    [InlineData("ja", "漢字かな")]
    [InlineData("he", "שלום")]
    [InlineData("ru", "молоко")]
    public void Encode_LanguageStepUnavailable_PassesThroughWithOneNote(string language, string text)
    {
        var logger = new ListLogger();
        var tokenizer = ChatterboxTextTokenizer.Load(fixture.Directory, logger);

        var result = tokenizer.Encode(text, language);
        tokenizer.Encode(text, language);

        Assert.Equal("[" + language + "]" + text + ".", result.PreparedText);
        Assert.Equal(1, logger.Count(3112));
    }

    [Fact]
    public void Encode_EnglishAndKorean_LogNoLanguageNotes()
    {
        var logger = new ListLogger();
        var tokenizer = ChatterboxTextTokenizer.Load(fixture.Directory, logger);

        tokenizer.Encode("Hello", "en");
        tokenizer.Encode("안녕", "ko");

        Assert.Equal(0, logger.Count(3110) + logger.Count(3111) + logger.Count(3112));
        Assert.Equal(1, logger.Count(3100));
    }

    [Fact]
    public void Encode_UnknownCharacter_MapsToUnk()
    {
        var result = _tokenizer.Encode("a☃b", "en");

        Assert.Equal([14, 1, 15, 9], result.Ids[3..7]);
    }

    [Fact]
    public void Encode_LoneSurrogate_ThrowsInvalidTextNamingItsOffset()
    {
        // Lone surrogates used to become U+FFFD and then [UNK]; they are not text a person wrote, so they are refused.
        var error = Assert.Throws<InferenceException>(() => _tokenizer.Encode("a\uD800b", "en"));

        Assert.Equal(InferenceErrorCode.InvalidText, error.Code);
        Assert.Contains("U+D800 (the text is not valid UTF-16) at UTF-16 offset 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_UpperCaseSpecialTokenText_CannotInjectTemplateIds()
    {
        // Lower-casing turns "[STOP]" into "[stop]", which is not a token; only one 0 and one 255 remain.
        var result = _tokenizer.Encode("[STOP] [START]", "en");

        Assert.Single(result.Ids, id => id == 0);
        Assert.Single(result.Ids, id => id == 255);
    }

    [Fact]
    public void Encode_EmotionTag_IsOneAddedToken()
    {
        var result = _tokenizer.Encode("[laughter] ha", "en");

        Assert.Equal(fixture.Id("[laughter]"), result.Ids[3]);
    }

    [Fact]
    public void Load_MissingTokenizerJson_ThrowsBundleFileMissingNamingFile()
    {
        var directory = TempDirectory.Create();
        try
        {
            var ex = Assert.Throws<InferenceException>(() => ChatterboxTextTokenizer.Load(directory));

            Assert.Equal(InferenceErrorCode.BundleFileMissing, ex.Code);
            Assert.Contains("tokenizer.json", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}")]
    [InlineData("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"[UNK]\": 1}, \"merges\": [\"a b\"], \"unk_token\": \"[UNK]\"}}")]
    [InlineData("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": \"x\"}}}")]
    public void Load_MalformedTokenizerJson_ThrowsBundleMetadataInvalidNamingFile(string content)
    {
        var directory = TempDirectory.Create();
        try
        {
            File.WriteAllText(Path.Combine(directory, "tokenizer.json"), content);

            var ex = Assert.Throws<InferenceException>(() => ChatterboxTextTokenizer.Load(directory));

            Assert.Equal(InferenceErrorCode.BundleMetadataInvalid, ex.Code);
            Assert.Contains("tokenizer.json", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    [Fact]
    public void Load_TokenizerWithoutLanguageTag_ThrowsBundleMetadataInvalid()
    {
        var directory = TempDirectory.Create();
        try
        {
            var json = File.ReadAllText(Path.Combine(fixture.Directory, "tokenizer.json"));
            File.WriteAllText(Path.Combine(directory, "tokenizer.json"), json.Replace("\"[sw]\"", "\"[swx]\"", StringComparison.Ordinal));

            var ex = Assert.Throws<InferenceException>(() => ChatterboxTextTokenizer.Load(directory));

            Assert.Equal(InferenceErrorCode.BundleMetadataInvalid, ex.Code);
            Assert.Contains("[sw]", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    [Theory]
    [InlineData("{ nope")]
    [InlineData("[\"我hqi\"]")]
    [InlineData("{\"a\": 1}")]
    public void Load_MalformedCangjieJson_ThrowsBundleMetadataInvalidNamingFile(string content)
    {
        var directory = TempDirectory.Create();
        try
        {
            File.Copy(Path.Combine(fixture.Directory, "tokenizer.json"), Path.Combine(directory, "tokenizer.json"));
            File.WriteAllText(Path.Combine(directory, "Cangjie5_TC.json"), content);

            var ex = Assert.Throws<InferenceException>(() => ChatterboxTextTokenizer.Load(directory));

            Assert.Equal(InferenceErrorCode.BundleMetadataInvalid, ex.Code);
            Assert.Contains("Cangjie5_TC.json", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    [Fact]
    public async Task Encode_ConcurrentCalls_SameResults()
    {
        var tasks = Enumerable.Range(0, 16)
            .Select(_ => Task.Run(() => _tokenizer.Encode("How are you?", "en").Ids, TestContext.Current.CancellationToken))
            .ToArray();

        var results = await Task.WhenAll(tasks);

        Assert.All(results, ids => Assert.Equal([6563, 255, 708, 21, 69, 2, 127, 2, 74, 13, 0, 6561, 6561], ids));
    }
}
