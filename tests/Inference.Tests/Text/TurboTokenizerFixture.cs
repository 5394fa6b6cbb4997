using System.Text.Json.Nodes;
using Sawt.Inference.Synthetic;
using Sawt.Inference.Text;

namespace Sawt.Inference.Tests.Text;

/// <summary>Writes the synthetic Turbo tokenizer files once per test class into a fresh temp directory.</summary>
public sealed class TurboTokenizerFixture : IDisposable
{
    public TurboTokenizerFixture()
    {
        Directory = TempDirectory.Create();
        SyntheticTurboTokenizerFiles.Write(Directory);
        Tokenizer = TurboTextTokenizer.Load(Directory);
    }

    /// <summary>The tokenizer loaded once from <see cref="Directory"/> with default limits (immutable, shared by the class's tests).</summary>
    public TurboTextTokenizer Tokenizer { get; }

    public string Directory { get; }

    public string TokenizerPath => Path.Combine(Directory, "tokenizer.json");

    /// <summary>A fresh parse of the written tokenizer.json, to edit into a variant.</summary>
    public JsonObject ReadTokenizerJson() => JsonNode.Parse(File.ReadAllBytes(TokenizerPath))!.AsObject();

    /// <summary>Writes <paramref name="tokenizerJson"/> as tokenizer.json of a new bundle directory; caller deletes it.</summary>
    public static string WriteVariant(JsonObject tokenizerJson)
    {
        var directory = TempDirectory.Create();
        File.WriteAllText(Path.Combine(directory, "tokenizer.json"), tokenizerJson.ToJsonString());
        return directory;
    }

    public void Dispose() => TempDirectory.Delete(Directory);
}
