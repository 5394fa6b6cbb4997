using System.Text.Json;

namespace Sawt.Inference.Text;

/// <summary>
/// Reads the subset of the HF tokenizers JSON format the Chatterbox tokenizer uses: a BPE model, added
/// tokens, the <c>Whitespace</c> pre-tokenizer (or none) and a TemplateProcessing post-processor. Anything
/// outside that subset is rejected as <see cref="InferenceErrorCode.BundleMetadataInvalid"/> rather than
/// silently tokenised differently. The <c>normalizer</c> is not applied: the MTL preparation lower-cases,
/// NFKD-normalises and maps spaces to <c>[SPACE]</c> itself (model-contract.md section 5.3).
/// </summary>
internal static class HfTokenizerJson
{
    public static HfTokenizer Load(string path) =>
        BundleJsonFile.Read(path, "bundle", Parse, (reason, inner) => Invalid(path, reason, inner));

    private static InferenceException Invalid(string path, string reason, Exception? inner = null) =>
        new(InferenceErrorCode.BundleMetadataInvalid, $"{Path.GetFileName(path)} ('{path}') is invalid: {reason}.", inner);

    private static HfTokenizer Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("the root is not a JSON object");
        }

        var model = RequireObject(root, "model", "model");
        if (model.TryGetProperty("type", out var type) && type.ValueKind != JsonValueKind.Null && type.GetString() != "BPE")
        {
            throw new FormatException($"model.type is '{type}', only BPE is supported");
        }

        RejectIfSet(model, "continuing_subword_prefix");
        RejectIfSet(model, "end_of_word_suffix");
        if (GetBool(model, "byte_fallback"))
        {
            throw new FormatException("model.byte_fallback is not supported");
        }

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in RequireObject(model, "vocab", "model.vocab").EnumerateObject())
        {
            var id = entry.Value.GetInt32();
            if (id < 0)
            {
                throw new FormatException($"model.vocab gives '{entry.Name}' the negative id {id}");
            }

            vocab[entry.Name] = id;
        }

        var merges = ParseMerges(model);

        if (!model.TryGetProperty("unk_token", out var unkElement) || unkElement.ValueKind != JsonValueKind.String)
        {
            throw new FormatException("model.unk_token is missing; unknown characters could not be encoded");
        }

        var unkToken = unkElement.GetString()!;
        if (!vocab.TryGetValue(unkToken, out var unkId))
        {
            throw new FormatException($"model.unk_token '{unkToken}' is not in model.vocab");
        }

        var bpe = new BpeModel(vocab, merges, unkId, GetBool(model, "fuse_unk"), GetBool(model, "ignore_merges"));

        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        if (root.TryGetProperty("added_tokens", out var addedTokens) && addedTokens.ValueKind != JsonValueKind.Null)
        {
            foreach (var token in addedTokens.EnumerateArray())
            {
                var content = token.GetProperty("content").GetString() ?? throw new FormatException("an added token has no content");
                var id = token.GetProperty("id").GetInt32();
                if (id < 0)
                {
                    throw new FormatException($"added token '{content}' has the negative id {id}");
                }

                added[content] = id;
            }
        }

        var allTokens = new Dictionary<string, int>(vocab, StringComparer.Ordinal);
        foreach (var (content, id) in added)
        {
            allTokens[content] = id;
        }

        RequireWhitespacePreTokenizer(root);
        var template = ParseTemplate(root);
        return new HfTokenizer(added, bpe, template, allTokens.Count);
    }

    private static List<(string Left, string Right)> ParseMerges(JsonElement model)
    {
        var merges = new List<(string, string)>();
        if (!model.TryGetProperty("merges", out var mergesElement) || mergesElement.ValueKind == JsonValueKind.Null)
        {
            return merges;
        }

        foreach (var merge in mergesElement.EnumerateArray())
        {
            if (merge.ValueKind == JsonValueKind.String)
            {
                // HF accepts exactly one separating space ("a b").
                var parts = merge.GetString()!.Split(' ');
                if (parts.Length != 2)
                {
                    throw new FormatException($"merge '{merge.GetString()}' is not two tokens separated by one space");
                }

                merges.Add((parts[0], parts[1]));
            }
            else if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2)
            {
                merges.Add((merge[0].GetString()!, merge[1].GetString()!));
            }
            else
            {
                throw new FormatException($"merge {merges.Count} is neither \"a b\" nor [\"a\", \"b\"]");
            }
        }

        return merges;
    }

    private static void RequireWhitespacePreTokenizer(JsonElement root)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var pre) || pre.ValueKind == JsonValueKind.Null)
        {
            throw new FormatException("pre_tokenizer is missing; the Chatterbox tokenizer uses Whitespace");
        }

        var type = pre.GetProperty("type").GetString();
        if (type == "Sequence" && pre.GetProperty("pretokenizers") is { ValueKind: JsonValueKind.Array } inner
            && inner.GetArrayLength() == 1)
        {
            type = inner[0].GetProperty("type").GetString();
        }

        if (type != "Whitespace")
        {
            throw new FormatException($"pre_tokenizer type '{type}' is not supported, only Whitespace");
        }
    }

    private static TemplateWrapping ParseTemplate(JsonElement root)
    {
        if (!root.TryGetProperty("post_processor", out var post) || post.ValueKind == JsonValueKind.Null)
        {
            throw new FormatException("post_processor is missing; a TemplateProcessing post-processor that wraps the text as [..., 255, $A, 0, ...] is required");
        }

        var template = FindTemplateProcessing(post)
            ?? throw new FormatException($"post_processor type '{post.GetProperty("type").GetString()}' is not TemplateProcessing");

        var specialTokens = RequireObject(template, "special_tokens", "post_processor.special_tokens");
        var prefix = new List<long>();
        var suffix = new List<long>();
        var sequences = 0;
        foreach (var item in template.GetProperty("single").EnumerateArray())
        {
            if (item.TryGetProperty("Sequence", out var sequence))
            {
                var sequenceId = sequence.GetProperty("id").GetString();
                if (sequenceId != "A")
                {
                    throw new FormatException($"the single template refers to sequence '{sequenceId}', expected A");
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
                foreach (var id in resolved.GetProperty("ids").EnumerateArray())
                {
                    target.Add(id.GetInt64());
                }
            }
            else
            {
                throw new FormatException("a single template item is neither SpecialToken nor Sequence");
            }
        }

        if (sequences != 1)
        {
            throw new FormatException($"the single template has {sequences} $A sequences, expected exactly one");
        }

        if (prefix.Count == 0 || prefix[^1] != ChatterboxConstants.TextStart || suffix.Count == 0 || suffix[0] != ChatterboxConstants.TextStop)
        {
            throw new FormatException(
                $"the single template must put [START] ({ChatterboxConstants.TextStart}) directly before $A and [STOP] ({ChatterboxConstants.TextStop}) directly after it");
        }

        return new TemplateWrapping([.. prefix], [.. suffix]);
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

    private static JsonElement RequireObject(JsonElement parent, string name, string displayName)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{displayName} is missing or not an object");
        }

        return value;
    }

    private static bool GetBool(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static void RejectIfSet(JsonElement model, string name)
    {
        if (model.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0)
        {
            throw new FormatException($"model.{name} is not supported");
        }
    }
}
