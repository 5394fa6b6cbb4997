using System.Text.Json;

namespace Sawt.Inference.Text;

/// <summary>
/// Reads and checks a Chatterbox-Turbo tokenizer.json: GPT-2's byte-level BPE (model.vocab must be exactly
/// GPT-2's 50 257 tokens, the pre-tokenizer ByteLevel without a prefix space, no normaliser), added tokens
/// (the paralinguistic tags, ids 50 257..50 275, and <c>&lt;|endoftext|&gt;</c> 50 256), and a
/// TemplateProcessing post-processor that appends two 50 256 ids. The BPE itself runs on the packaged GPT-2
/// ranks (<see cref="Gpt2Vocabulary"/>), so the merges are not read: equal vocabularies mean equal merges.
/// Anything else is refused as <see cref="InferenceErrorCode.BundleMetadataInvalid"/> naming the file, rather
/// than tokenised differently from the file.
/// </summary>
internal static class TurboTokenizerJson
{
    /// <summary>Width of Turbo's text embedding (tts_turbo.py: <c>text_tokens_dict_size=50276</c>); every id must be below it.</summary>
    public const int TextVocabularySize = 50276;

    /// <summary>What the template appends after the text: the two speech slots of the embed graph.</summary>
    public static IReadOnlyList<long> ExpectedSuffix { get; } = [Gpt2Vocabulary.EndOfTextId, Gpt2Vocabulary.EndOfTextId];

    /// <summary>Loads and checks <paramref name="path"/>; returns the added tokens (tags and <c>&lt;|endoftext|&gt;</c>).</summary>
    /// <exception cref="InferenceException">BundleFileMissing or BundleMetadataInvalid, naming the file.</exception>
    public static IReadOnlyList<TurboAddedToken> Load(string path) =>
        BundleJsonFile.Read(path, "Turbo bundle", Parse, (reason, inner) => Invalid(path, reason, inner));

    private static InferenceException Invalid(string path, string reason, Exception inner) =>
        new(InferenceErrorCode.BundleMetadataInvalid,
            $"{Path.GetFileName(path)} ('{path}') is not a Chatterbox-Turbo tokenizer (GPT-2 byte-level BPE): {reason}.", inner);

    private static List<TurboAddedToken> Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("the root is not a JSON object");
        }

        CheckModel(root);
        CheckNormalizer(root);
        CheckPreTokenizer(root);
        var added = ParseAddedTokens(root);
        CheckTemplate(root);
        return added;
    }

    private static void CheckModel(JsonElement root)
    {
        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("model is missing or not an object");
        }

        if (model.TryGetProperty("type", out var type) && type.ValueKind != JsonValueKind.Null && type.GetString() != "BPE")
        {
            throw new FormatException($"model.type is '{type}', expected BPE");
        }

        foreach (var name in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
        {
            if (model.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0)
            {
                throw new FormatException($"model.{name} is set; GPT-2's BPE has none");
            }
        }

        if (model.TryGetProperty("byte_fallback", out var fallback) && fallback.ValueKind == JsonValueKind.True)
        {
            throw new FormatException("model.byte_fallback is set; GPT-2's BPE is byte-level and has none");
        }

        if (!model.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("model.vocab is missing or not an object");
        }

        // Every ordinary token must sit at GPT-2's id; <|endoftext|> may be in the vocab (vocab.json has it) or only
        // among the added tokens. The tags are added tokens, so a vocab with them is not GPT-2's.
        var gpt2 = Gpt2Vocabulary.Instance;
        var seen = new bool[Gpt2Vocabulary.OrdinaryTokenCount];
        var count = 0;
        foreach (var entry in vocab.EnumerateObject())
        {
            var id = entry.Value.GetInt32();
            count++;
            if (entry.Name == Gpt2Vocabulary.EndOfText && id == Gpt2Vocabulary.EndOfTextId)
            {
                continue;
            }

            if (id < 0 || id >= Gpt2Vocabulary.OrdinaryTokenCount || !string.Equals(gpt2.ByteLevelTokens[id], entry.Name, StringComparison.Ordinal) || seen[id])
            {
                throw new FormatException(
                    $"model.vocab maps '{entry.Name}' to {id}, which is not GPT-2's vocabulary (50257 byte-level tokens, then the tags as added tokens)");
            }

            seen[id] = true;
        }

        var present = seen.Count(s => s);
        if (present != Gpt2Vocabulary.OrdinaryTokenCount || count > Gpt2Vocabulary.Size)
        {
            throw new FormatException(
                $"model.vocab has {count} tokens, {present} of GPT-2's {Gpt2Vocabulary.OrdinaryTokenCount} ordinary ones; GPT-2's vocabulary has {Gpt2Vocabulary.Size} before the tags");
        }
    }

    private static void CheckNormalizer(JsonElement root)
    {
        if (root.TryGetProperty("normalizer", out var normalizer) && normalizer.ValueKind != JsonValueKind.Null)
        {
            throw new FormatException($"normalizer is '{normalizer.GetProperty("type").GetString()}'; GPT-2's tokenizer has none and this engine applies none");
        }
    }

    private static void CheckPreTokenizer(JsonElement root)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var pre) || pre.ValueKind == JsonValueKind.Null)
        {
            throw new FormatException("pre_tokenizer is missing; GPT-2 uses ByteLevel");
        }

        if (pre.GetProperty("type").GetString() == "Sequence" && pre.GetProperty("pretokenizers") is { ValueKind: JsonValueKind.Array } inner
            && inner.GetArrayLength() == 1)
        {
            pre = inner[0];
        }

        var type = pre.GetProperty("type").GetString();
        if (type != "ByteLevel")
        {
            throw new FormatException($"pre_tokenizer type is '{type}', expected ByteLevel (GPT-2)");
        }

        if (pre.TryGetProperty("add_prefix_space", out var prefix) && prefix.ValueKind == JsonValueKind.True)
        {
            throw new FormatException("pre_tokenizer.add_prefix_space is true; GPT-2 adds no prefix space");
        }

        if (pre.TryGetProperty("use_regex", out var regex) && regex.ValueKind == JsonValueKind.False)
        {
            throw new FormatException("pre_tokenizer.use_regex is false; GPT-2 splits with its regex");
        }
    }

    private static List<TurboAddedToken> ParseAddedTokens(JsonElement root)
    {
        var tokens = new List<TurboAddedToken>();
        var ids = new HashSet<int>();
        if (root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in added.EnumerateArray())
            {
                var content = token.GetProperty("content").GetString();
                var id = token.GetProperty("id").GetInt32();
                if (string.IsNullOrEmpty(content))
                {
                    throw new FormatException($"added token {id} has no content");
                }

                var isEndOfText = content == Gpt2Vocabulary.EndOfText;
                if (isEndOfText ? id != Gpt2Vocabulary.EndOfTextId : id is < Gpt2Vocabulary.Size or >= TextVocabularySize)
                {
                    throw new FormatException(isEndOfText
                        ? $"added token '{content}' has id {id}, GPT-2's is {Gpt2Vocabulary.EndOfTextId}"
                        : $"added token '{content}' has id {id}; Turbo's tags lie in {Gpt2Vocabulary.Size}..{TextVocabularySize - 1} (its text embedding has {TextVocabularySize} rows)");
                }

                if (!ids.Add(id))
                {
                    throw new FormatException($"two added tokens share id {id}");
                }

                if (Flag(token, "single_word"))
                {
                    throw new FormatException($"added token '{content}' sets single_word, which this engine does not apply");
                }

                tokens.Add(new TurboAddedToken(content, id, Flag(token, "lstrip"), Flag(token, "rstrip")));
            }
        }

        if (!ids.Contains(Gpt2Vocabulary.EndOfTextId))
        {
            throw new FormatException($"added_tokens has no '{Gpt2Vocabulary.EndOfText}' ({Gpt2Vocabulary.EndOfTextId}), which the template appends");
        }

        return tokens;
    }

    private static bool Flag(JsonElement token, string name) =>
        token.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>The single template must be exactly <c>[$A, &lt;|endoftext|&gt;, &lt;|endoftext|&gt;]</c> (model-contract.md section 4).</summary>
    private static void CheckTemplate(JsonElement root)
    {
        if (!root.TryGetProperty("post_processor", out var post) || post.ValueKind == JsonValueKind.Null
            || FindTemplateProcessing(post) is not { } template)
        {
            throw new FormatException("post_processor has no TemplateProcessing; Turbo's template appends two <|endoftext|> (50256) ids after the text");
        }

        var specialTokens = template.GetProperty("special_tokens");
        var prefix = new List<long>();
        var suffix = new List<long>();
        var sequences = 0;
        foreach (var item in template.GetProperty("single").EnumerateArray())
        {
            if (item.TryGetProperty("Sequence", out var sequence))
            {
                if (sequence.GetProperty("id").GetString() != "A")
                {
                    throw new FormatException("the single template refers to a sequence other than A");
                }

                sequences++;
            }
            else if (item.TryGetProperty("SpecialToken", out var special))
            {
                var name = special.GetProperty("id").GetString()!;
                if (!specialTokens.TryGetProperty(name, out var resolved))
                {
                    throw new FormatException($"the single template uses special token '{name}', which post_processor.special_tokens does not define");
                }

                var target = sequences == 0 ? prefix : suffix;
                target.AddRange(resolved.GetProperty("ids").EnumerateArray().Select(id => id.GetInt64()));
            }
            else
            {
                throw new FormatException("a single template item is neither SpecialToken nor Sequence");
            }
        }

        if (sequences != 1 || prefix.Count != 0 || !suffix.SequenceEqual(ExpectedSuffix))
        {
            throw new FormatException(
                $"the single template is [{string.Join(", ", prefix)}] $A [{string.Join(", ", suffix)}] with {sequences} sequence(s); Turbo's is $A followed by two <|endoftext|> (50256) ids");
        }
    }

    private static JsonElement? FindTemplateProcessing(JsonElement processor)
    {
        var type = processor.GetProperty("type").GetString();
        if (type == "TemplateProcessing")
        {
            return processor;
        }

        if (type == "Sequence" && processor.TryGetProperty("processors", out var processors))
        {
            foreach (var inner in processors.EnumerateArray())
            {
                if (FindTemplateProcessing(inner) is { } found)
                {
                    return found;
                }
            }
        }

        return null;
    }
}
