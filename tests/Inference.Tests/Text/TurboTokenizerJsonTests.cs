using System.Text.Json.Nodes;
using Sawt.Inference.Synthetic;
using Sawt.Inference.Text;

namespace Sawt.Inference.Tests.Text;

/// <summary>Load-time checks of a Turbo tokenizer.json: anything but GPT-2's byte-level BPE with the template is refused, naming the file.</summary>
[Trait("Category", "Unit")]
public sealed class TurboTokenizerJsonTests(TurboTokenizerFixture fixture) : IClassFixture<TurboTokenizerFixture>
{
    public static TheoryData<string, string> Breakages => new()
    {
        { "vocab entry moved", "not GPT-2's vocabulary" },
        { "vocab entry missing", "model.vocab has 50256 tokens" },
        { "tag inside vocab", "not GPT-2's vocabulary" },
        { "whitespace pre-tokenizer", "expected ByteLevel" },
        { "prefix space", "add_prefix_space" },
        { "normalizer", "normalizer" },
        { "one speech slot", "two <|endoftext|>" },
        { "no post-processor", "no TemplateProcessing" },
        { "tag id past the embedding", "50276" },
        { "no endoftext", "<|endoftext|>" },
        { "single_word tag", "single_word" },
    };

    [Theory]
    [MemberData(nameof(Breakages))]
    public void Load_FileThatIsNotTurbosTokenizer_RefusedNamingFileAndReason(string breakage, string reason)
    {
        var json = fixture.ReadTokenizerJson();
        Break(json, breakage);
        var directory = TurboTokenizerFixture.WriteVariant(json);
        try
        {
            var error = Assert.Throws<InferenceException>(() => TurboTextTokenizer.Load(directory));

            Assert.Equal(InferenceErrorCode.BundleMetadataInvalid, error.Code);
            Assert.Contains(Path.Combine(directory, "tokenizer.json"), error.Message, StringComparison.Ordinal);
            Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    [Fact]
    public void Load_MultilingualTokenizerFile_RefusedAsNotGpt2()
    {
        var directory = TempDirectory.Create();
        try
        {
            SyntheticTokenizerFiles.Write(directory);

            var error = Assert.Throws<InferenceException>(() => TurboTextTokenizer.Load(directory));

            Assert.Equal(InferenceErrorCode.BundleMetadataInvalid, error.Code);
            Assert.Contains("tokenizer.json", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    [Fact]
    public void Load_NoTokenizerFile_RefusedAsMissing()
    {
        var directory = TempDirectory.Create();
        try
        {
            var error = Assert.Throws<InferenceException>(() => TurboTextTokenizer.Load(directory));

            Assert.Equal(InferenceErrorCode.BundleFileMissing, error.Code);
            Assert.Contains("tokenizer.json", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    [Fact]
    public void Load_VocabWithoutEndOfTextEntry_AcceptedWhenItIsAnAddedToken()
    {
        // Some files keep <|endoftext|> only among the added tokens; the ordinary 50256 tokens are what must match.
        var json = fixture.ReadTokenizerJson();
        json["model"]!["vocab"]!.AsObject().Remove("<|endoftext|>");
        var directory = TurboTokenizerFixture.WriteVariant(json);
        try
        {
            Assert.Equal([15496L, 995, 13, 50256, 50256], TurboTextTokenizer.Load(directory).Encode("Hello world").Ids);
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    private static void Break(JsonObject json, string breakage)
    {
        var vocab = json["model"]!["vocab"]!.AsObject();
        var addedTokens = json["added_tokens"]!.AsArray();
        JsonNode Added(string content) => addedTokens.First(t => (string)t!["content"]! == content)!;
        switch (breakage)
        {
            case "vocab entry moved":
                // "Hello" and " world" trade ids: same size, wrong vocabulary.
                vocab["Hello"] = 995;
                vocab["\u0120world"] = 15496;
                break;
            case "vocab entry missing":
                vocab.Remove("Hello");
                break;
            case "tag inside vocab":
                vocab["[laugh]"] = 50275;
                break;
            case "whitespace pre-tokenizer":
                json["pre_tokenizer"] = new JsonObject { ["type"] = "Whitespace" };
                break;
            case "prefix space":
                json["pre_tokenizer"]!["add_prefix_space"] = true;
                break;
            case "normalizer":
                json["normalizer"] = new JsonObject { ["type"] = "Lowercase" };
                break;
            case "one speech slot":
                json["post_processor"]!["single"]!.AsArray().RemoveAt(2);
                break;
            case "no post-processor":
                json["post_processor"] = null;
                break;
            case "tag id past the embedding":
                Added("[laugh]")["id"] = 50276;
                break;
            case "no endoftext":
                addedTokens.Remove(Added("<|endoftext|>"));
                break;
            case "single_word tag":
                Added("[sigh]")["single_word"] = true;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(breakage), breakage, "unknown breakage");
        }
    }
}
