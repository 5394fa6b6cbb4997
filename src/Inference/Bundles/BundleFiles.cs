namespace Sawt.Inference.Bundles;

/// <summary>
/// The files of a bundle laid out like <c>onnx-community/chatterbox-multilingual-ONNX</c>, located and
/// checked for presence (a graph's <c>.onnx_data</c> sidecar is ONNX Runtime's to find).
/// </summary>
public sealed record BundleFiles(
    string Directory,
    string SpeechEncoder,
    string EmbedTokens,
    string LanguageModel,
    string LanguageModelVariant,
    string ConditionalDecoder,
    string? DraftLanguageModel,
    string Tokenizer,
    string? DefaultVoice)
{
    private const string V2LanguageModel = "language_model_v2.onnx";

    // "quantized" (q8) is the Turbo repository's name; a multilingual bundle simply has no such file.
    private static readonly string[] VariantOrder = ["fp32", "fp16", "quantized", "q4", "q4f16"];

    /// <summary>The decoder variants to load, the default (<see cref="ConditionalDecoder"/>) first.</summary>
    public IReadOnlyList<DecoderVariantFile> DecoderVariants { get; init; } = [];

    /// <summary>Finds the bundle's files; a missing required file is an error that names it.</summary>
    public static BundleFiles Locate(string directory, BundleOptions options)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new InferenceException(InferenceErrorCode.BundleFileMissing, $"Model bundle folder '{directory}' does not exist.");
        }

        var onnx = Path.Combine(directory, "onnx");
        var voice = Path.Combine(directory, "default_voice.wav");
        // n6 first when nothing is configured: 6 CFM steps is the v2 exporter's recommendation (model-contract.md section 3).
        var decoders = DecoderVariantLocator.Locate(onnx, options.DecoderVariants);
        if (options.LanguageModelVariant is null && File.Exists(Path.Combine(onnx, V2LanguageModel)))
        {
            // The v2 re-export's file names; ModelBundle still decides the layout from the graphs' metadata.
            return new BundleFiles(
                directory,
                Required(Path.Combine(onnx, "speech_encoder.onnx")),
                Required(Path.Combine(onnx, "embed_tokens_v2.onnx")),
                Path.Combine(onnx, V2LanguageModel),
                "v2",
                decoders[0].Path,
                null,
                Required(Path.Combine(directory, "tokenizer.json")),
                File.Exists(voice) ? voice : null)
            {
                DecoderVariants = decoders,
            };
        }

        var (languageModel, variant) = LocateLanguageModel(onnx, options.LanguageModelVariant);
        var draft = LocateDraft(onnx, options.DraftModel);
        return new BundleFiles(
            directory,
            Required(Path.Combine(onnx, "speech_encoder.onnx")),
            Required(Path.Combine(onnx, "embed_tokens.onnx")),
            languageModel,
            variant,
            decoders[0].Path,
            options.LoadDraftModel && draft is not null ? draft : null,
            Required(Path.Combine(directory, "tokenizer.json")),
            File.Exists(voice) ? voice : null)
        {
            DecoderVariants = decoders,
        };
    }

    /// <summary>The configured draft (a named variant or a path must exist), or the bundle's own draft file if any.</summary>
    private static string? LocateDraft(string onnx, string? wanted)
    {
        if (wanted is null)
        {
            var own = Path.Combine(onnx, "language_model_draft.onnx");
            return File.Exists(own) ? own : null;
        }

        var normalized = wanted.Trim().ToLowerInvariant();
        return Required(VariantOrder.Contains(normalized) ? Path.Combine(onnx, FileName(normalized)) : Path.GetFullPath(wanted));
    }

    private static (string Path, string Variant) LocateLanguageModel(string onnx, string? wanted)
    {
        if (wanted is not null)
        {
            var normalized = wanted.Trim().ToLowerInvariant();
            if (!VariantOrder.Contains(normalized))
            {
                throw new InferenceException(InferenceErrorCode.InvalidOptions,
                    $"Language model variant '{wanted}' is not one of {string.Join(", ", VariantOrder)}.");
            }

            return (Required(Path.Combine(onnx, FileName(normalized))), normalized);
        }

        foreach (var variant in VariantOrder)
        {
            var path = Path.Combine(onnx, FileName(variant));
            if (File.Exists(path))
            {
                return (path, variant);
            }
        }

        throw new InferenceException(InferenceErrorCode.BundleFileMissing,
            $"No language model in '{onnx}': expected one of {string.Join(", ", VariantOrder.Select(FileName))}.");
    }

    private static string FileName(string variant) => variant == "fp32" ? "language_model.onnx" : $"language_model_{variant}.onnx";

    private static string Required(string path) => File.Exists(path)
        ? path
        : throw new InferenceException(InferenceErrorCode.BundleFileMissing, $"Model bundle file '{path}' is missing.");
}
