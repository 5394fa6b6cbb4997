namespace Sawt.Inference.Bundles;

/// <summary>
/// Finds a bundle's decoder graphs (model-contract.md 2-4): <c>conditional_decoder_n4/_n6/_n10.onnx</c> (v2) and
/// <c>conditional_decoder{,_fp16,_quantized,_q4,_q4f16}.onnx</c> (v1, Turbo). Configured names must all be present;
/// without configuration the first present of <see cref="DefaultOrder"/> is loaded (n6 is the v2 recommendation).
/// </summary>
internal static class DecoderVariantLocator
{
    /// <summary>Every known variant name, in the order tried when none is configured.</summary>
    public static IReadOnlyList<string> DefaultOrder { get; } = ["n6", "n10", "n4", "fp32", "fp16", "quantized", "q4", "q4f16"];

    public static string FileName(string variant) => variant switch
    {
        "fp32" => "conditional_decoder.onnx",
        _ => $"conditional_decoder_{variant}.onnx",
    };

    /// <summary>
    /// The variants to load, the default first. Throws <c>invalid_options</c> for an unknown or repeated name and
    /// <c>bundle_file_missing</c> naming the file for a configured variant that is absent.
    /// </summary>
    public static IReadOnlyList<DecoderVariantFile> Locate(string onnx, IReadOnlyList<string>? wanted)
    {
        if (wanted is { Count: > 0 })
        {
            var located = new List<DecoderVariantFile>(wanted.Count);
            foreach (var raw in wanted)
            {
                var name = raw.Trim().ToLowerInvariant();
                if (!DefaultOrder.Contains(name))
                {
                    throw new InferenceException(InferenceErrorCode.InvalidOptions,
                        $"Decoder variant '{raw}' is not one of {string.Join(", ", DefaultOrder)}.");
                }

                if (located.Any(v => v.Name == name))
                {
                    throw new InferenceException(InferenceErrorCode.InvalidOptions, $"Decoder variant '{name}' is configured twice.");
                }

                var path = Path.Combine(onnx, FileName(name));
                if (!File.Exists(path))
                {
                    throw new InferenceException(InferenceErrorCode.BundleFileMissing,
                        $"Decoder variant '{name}' is configured but its file '{path}' is missing.");
                }

                located.Add(new DecoderVariantFile(name, path));
            }

            return located;
        }

        foreach (var name in DefaultOrder)
        {
            var path = Path.Combine(onnx, FileName(name));
            if (File.Exists(path))
            {
                return [new DecoderVariantFile(name, path)];
            }
        }

        throw new InferenceException(InferenceErrorCode.BundleFileMissing,
            $"Model bundle file '{Path.Combine(onnx, FileName("fp32"))}' is missing (nor is any other decoder variant there: {string.Join(", ", DefaultOrder.Select(FileName))}).");
    }
}
