using System.Text.Json;
using Sawt.Inference.Synthetic;

namespace Sawt.Inference.Tests.Text;

[Trait("Category", "Unit")]
public sealed class SyntheticTurboTokenizerFilesTests(TurboTokenizerFixture fixture) : IClassFixture<TurboTokenizerFixture>
{
    [Fact]
    public void Write_TokenizerJson_HasGpt2VocabularyMergesAndNineteenTags()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(fixture.TokenizerPath));
        var root = document.RootElement;
        var model = root.GetProperty("model");

        Assert.Equal(50257, model.GetProperty("vocab").EnumerateObject().Count());
        Assert.Equal(50000, model.GetProperty("merges").GetArrayLength());
        Assert.Equal(20, root.GetProperty("added_tokens").GetArrayLength());
        Assert.Equal(
            Enumerable.Range(50256, 20),
            root.GetProperty("added_tokens").EnumerateArray().Select(t => t.GetProperty("id").GetInt32()));
    }

    [Fact]
    public void RecoverMerges_FirstMerges_AreGpt2s()
    {
        // GPT-2's merges.txt opens with "Ġ t", "Ġ a", "h e", "i n", "r e" (ids 256..260: "Ġt", "Ġa", "he", "in", "re").
        var merges = SyntheticTurboTokenizerFiles.RecoverMerges();

        Assert.Equal(
            [("\u0120", "t"), ("\u0120", "a"), ("h", "e"), ("i", "n"), ("r", "e")],
            merges.Take(5));
    }

    [Fact]
    public void Write_TokenizerConfig_SaysSynthetic()
    {
        var config = File.ReadAllText(Path.Combine(fixture.Directory, "tokenizer_config.json"));

        Assert.Contains("Synthetic", config, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(fixture.Directory, "special_tokens_map.json")));
    }

    [Fact]
    public void TagId_UnknownTag_Throws()
    {
        Assert.Throws<ArgumentException>(() => SyntheticTurboTokenizerFiles.TagId("[music]"));
    }
}
