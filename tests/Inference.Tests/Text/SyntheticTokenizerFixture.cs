using System.Text.Json;
using Sawt.Inference.Synthetic;

namespace Sawt.Inference.Tests.Text;

/// <summary>Writes the synthetic tokenizer files once per test class into a fresh temp directory.</summary>
public sealed class SyntheticTokenizerFixture : IDisposable
{
    public SyntheticTokenizerFixture()
    {
        Directory = TempDirectory.Create();
        SyntheticTokenizerFiles.Write(Directory);
        Vocab = ReadVocab(Path.Combine(Directory, "tokenizer.json"));
    }

    public string Directory { get; }

    /// <summary>model.vocab of the written tokenizer.json.</summary>
    public IReadOnlyDictionary<string, int> Vocab { get; }

    public int Id(string token) => Vocab[token];

    public void Dispose() => TempDirectory.Delete(Directory);

    internal static Dictionary<string, int> ReadVocab(string tokenizerPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(tokenizerPath));
        return document.RootElement.GetProperty("model").GetProperty("vocab").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal);
    }
}
