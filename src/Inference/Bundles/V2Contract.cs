using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Sawt.Inference.Sampling;

namespace Sawt.Inference.Bundles;

/// <summary>
/// The checks of the v2 re-export (<c>hugbos/chatterbox-multilingual-ONNX-v2</c>, model-contract.md section 3): what
/// marks it (a <c>cfg_weight</c> input and an <c>attn_layers</c> output) and what the engine feeds and reads.
/// </summary>
internal static class V2Contract
{
    /// <summary>Rows of every v2 language-model call: conditional and unconditional.</summary>
    public const int Rows = 2;

    /// <summary>The layout, when both markers are there; a graph with only one of them is named with the missing tensor.</summary>
    public static BundleLayout Detect(BundleFiles files, InferenceSession languageModel)
    {
        var file = Path.GetFileName(files.LanguageModel);
        if (!languageModel.InputMetadata.ContainsKey("cfg_weight"))
        {
            throw new InferenceException(InferenceErrorCode.BundleTensorMissing,
                $"{file}: has the v2 output 'attn_layers' but not the v2 input 'cfg_weight'; the v2 layout needs both.");
        }

        if (!languageModel.OutputMetadata.ContainsKey("attn_layers"))
        {
            throw new InferenceException(InferenceErrorCode.BundleTensorMissing,
                $"{file}: has the v2 input 'cfg_weight' but not the v2 output 'attn_layers'; the v2 layout needs both.");
        }

        return BundleLayout.MultilingualV2;
    }

    public static LanguageModelInfo CheckLanguageModel(string path, InferenceSession session)
    {
        var info = ModelBundle.CheckLanguageModel(path, session, TensorElementType.Float16);
        var contract = new GraphContract(path, session)
            .Input("cfg_weight", 0, TensorElementType.Float16)
            .Output("attn_layers", 4, TensorElementType.Float);
        foreach (var name in new[] { "inputs_embeds", "attention_mask", "past_key_values.0.key" })
        {
            var batch = contract.Inputs[name].Dimensions[0];
            if (batch > 0 && batch != Rows)
            {
                throw contract.Mismatch($"input '{name}' has batch axis {batch}; the v2 layout runs {Rows} rows (conditional, unconditional).");
            }
        }

        var layers = contract.FixedDimension("attn_layers", 0, isInput: false);
        var heads = contract.FixedDimension("attn_layers", 1, isInput: false);
        if (layers != AlignmentStreamAnalyzer.DefaultLayers || heads != AlignmentStreamAnalyzer.DefaultHeads)
        {
            throw contract.Mismatch(
                $"output 'attn_layers' is [{layers}, {heads}, S, T]; the alignment guard reads [{AlignmentStreamAnalyzer.DefaultLayers}, {AlignmentStreamAnalyzer.DefaultHeads}, S, T] (layers 9, 12, 13).");
        }

        return info with { ActivationElementType = TensorElementType.Float16, GuidanceInGraph = true };
    }

    public static int CheckEmbedTokens(string path, InferenceSession session)
    {
        var contract = new GraphContract(path, session)
            .Input("input_ids", 2, TensorElementType.Int64)
            .Input("position_ids", 2, TensorElementType.Int64)
            .Input("exaggeration", 1, TensorElementType.Float)
            .Output("inputs_embeds", 3, TensorElementType.Float16);
        return contract.Outputs["inputs_embeds"].Dimensions[2];
    }
}
