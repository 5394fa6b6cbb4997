using System.Text.Json;
using Sawt.Inference.Synthetic;

namespace Sawt.Inference.Tests.Text;

[Trait("Category", "Unit")]
public sealed class SyntheticTokenizerFilesTests(SyntheticTokenizerFixture fixture) : IClassFixture<SyntheticTokenizerFixture>
{
    [Fact]
    public void Write_Vocabulary_ContiguousTextIdsPlusSpeechIds()
    {
        var ids = fixture.Vocab.Values.Order().ToArray();

        Assert.Equal([.. Enumerable.Range(0, SyntheticTokenizerFiles.TextVocabularySize), 6561, 6563], ids);
        Assert.Equal(6561, fixture.Id(SyntheticTokenizerFiles.SpeechStartToken));
        Assert.Equal(6563, fixture.Id(SyntheticTokenizerFiles.ExaggerationToken));
    }

    [Theory]
    [InlineData("[STOP]", 0)]
    [InlineData("[UNK]", 1)]
    [InlineData("[SPACE]", 2)]
    [InlineData("[START]", 255)]
    [InlineData("[en]", 708)]
    [InlineData("[fr]", 634)]
    [InlineData("[es]", 635)]
    [InlineData("[de]", 636)]
    [InlineData("[ko]", 724)]
    [InlineData("[zh]", 725)]
    [InlineData("[cj_a]", 733)]
    [InlineData("[cj_z]", 758)]
    [InlineData("[cj_.]", 2064)]
    [InlineData("\u0301", 764)]
    [InlineData("\u0308", 762)]
    public void Write_ContractIds_AreTheRealOnes(string token, int id)
    {
        Assert.Equal(id, fixture.Id(token));
    }

    [Fact]
    public void Write_LanguageTags_AllAddedTokensBelowTextVocabularySize()
    {
        var added = ReadAddedTokens();

        foreach (var language in Sawt.Inference.Text.SupportedLanguages.All)
        {
            Assert.True(added.TryGetValue("[" + language + "]", out var id), language);
            Assert.InRange(id, 0, SyntheticTokenizerFiles.TextVocabularySize - 1);
        }
    }

    [Fact]
    public void Write_AllFiles_ValidJson()
    {
        foreach (var name in new[] { "tokenizer.json", "tokenizer_config.json", "Cangjie5_TC.json" })
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(fixture.Directory, name)));
            Assert.NotEqual(JsonValueKind.Undefined, document.RootElement.ValueKind);
        }
    }

    private Dictionary<string, int> ReadAddedTokens()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(fixture.Directory, "tokenizer.json")));
        return document.RootElement.GetProperty("added_tokens").EnumerateArray()
            .ToDictionary(t => t.GetProperty("content").GetString()!, t => t.GetProperty("id").GetInt32(), StringComparer.Ordinal);
    }
}
