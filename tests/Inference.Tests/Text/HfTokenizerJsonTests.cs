using Sawt.Inference.Text;

namespace Sawt.Inference.Tests.Text;

[Trait("Category", "Unit")]
public sealed class HfTokenizerJsonTests : IDisposable
{
    private readonly string _directory = TempDirectory.Create();

    public void Dispose() => TempDirectory.Delete(_directory);

    private HfTokenizer LoadJson(string merges, string added = "", string preTokenizer = "{\"type\": \"Whitespace\"}")
    {
        var json = $$$"""
            {
              "added_tokens": [
                {"id": 0, "content": "[STOP]"}, {"id": 255, "content": "[START]"}, {"id": 2, "content": "[SPACE]"}
                {{{added}}}
              ],
              "normalizer": null,
              "pre_tokenizer": {{{preTokenizer}}},
              "post_processor": {
                "type": "TemplateProcessing",
                "single": [
                  {"SpecialToken": {"id": "<x>", "type_id": 0}}, {"SpecialToken": {"id": "[START]", "type_id": 0}},
                  {"Sequence": {"id": "A", "type_id": 0}},
                  {"SpecialToken": {"id": "[STOP]", "type_id": 0}}, {"SpecialToken": {"id": "<s>", "type_id": 0}}
                ],
                "special_tokens": {
                  "<x>": {"id": "<x>", "ids": [6563], "tokens": ["<x>"]},
                  "<s>": {"id": "<s>", "ids": [6561, 6561], "tokens": ["<s>", "<s>"]},
                  "[START]": {"id": "[START]", "ids": [255], "tokens": ["[START]"]},
                  "[STOP]": {"id": "[STOP]", "ids": [0], "tokens": ["[STOP]"]}
                }
              },
              "model": {
                "type": "BPE", "unk_token": "[UNK]",
                "vocab": {"[STOP]": 0, "[UNK]": 1, "[SPACE]": 2, "a": 10, "b": 11, "c": 12, "ab": 20, "bc": 21, "abc": 30, "!": 5, "?": 6, "!?": 7, "é": 8, "\u0301": 9, "e": 13, "b!": 14},
                "merges": {{{merges}}}
              }
            }
            """;
        var path = Path.Combine(_directory, "tokenizer.json");
        File.WriteAllText(path, json);
        return HfTokenizerJson.Load(path);
    }

    [Fact]
    public void Load_MergesAsStrings_AppliesRanks()
    {
        var tokenizer = LoadJson("[\"b c\", \"a b\"]");

        Assert.Equal([10L, 21L], tokenizer.EncodeSequence("abc"));
    }

    [Fact]
    public void Load_MergesAsArrays_AppliesRanks()
    {
        var tokenizer = LoadJson("[[\"a\", \"b\"], [\"ab\", \"c\"]]");

        Assert.Equal([30L], tokenizer.EncodeSequence("abc"));
    }

    [Fact]
    public void Load_TemplateSpecialTokensWithSeveralIds_ResolvedInOrder()
    {
        var tokenizer = LoadJson("[]");

        Assert.Equal([6563L, 255L], tokenizer.Template.Prefix);
        Assert.Equal([0L, 6561L, 6561L], tokenizer.Template.Suffix);
    }

    [Fact]
    public void EncodeSequence_AddedTokens_MatchedBeforePreTokenizationLongestFirst()
    {
        var tokenizer = LoadJson("[]", ", {\"id\": 40, \"content\": \"ab\"}, {\"id\": 41, \"content\": \"abc\"}");

        Assert.Equal([41L, 10L, 2L, 40L], tokenizer.EncodeSequence("abca[SPACE]ab"));
    }

    [Fact]
    public void EncodeSequence_Whitespace_SplitsWordsFromPunctuationRuns()
    {
        var tokenizer = LoadJson("[[\"!\", \"?\"], [\"b\", \"!\"]]");

        // "b!" is never merged: the pre-tokenizer splits "b" from "!?" first; spaces are dropped.
        Assert.Equal([11L, 7L, 10L], tokenizer.EncodeSequence("b!? a"));
    }

    [Fact]
    public void EncodeSequence_CombiningMark_StaysInWord()
    {
        var tokenizer = LoadJson("[]");

        Assert.Equal([13L, 9L, 10L], tokenizer.EncodeSequence("e\u0301a"));
    }

    [Fact]
    public void Load_PreTokenizerNotWhitespace_ThrowsBundleMetadataInvalid()
    {
        var ex = Assert.Throws<InferenceException>(() => LoadJson("[]", preTokenizer: "{\"type\": \"ByteLevel\"}"));

        Assert.Equal(InferenceErrorCode.BundleMetadataInvalid, ex.Code);
        Assert.Contains("tokenizer.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MalformedMerge_ThrowsBundleMetadataInvalid()
    {
        var ex = Assert.Throws<InferenceException>(() => LoadJson("[\"a b c\"]"));

        Assert.Equal(InferenceErrorCode.BundleMetadataInvalid, ex.Code);
    }
}
