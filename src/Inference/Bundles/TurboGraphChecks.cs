using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Sawt.Inference.Bundles;

/// <summary>
/// What the Turbo layout (model-contract.md 4) asks of its graphs beyond the shared checks: told apart by metadata
/// (the language model takes <c>position_ids</c>; <c>embed_tokens</c> takes neither <c>exaggeration</c> nor positions),
/// a half-Turbo bundle is refused naming the file and the tensor that does not fit.
/// </summary>
internal static class TurboGraphChecks
{
    /// <summary>Turbo when every signal agrees; otherwise an error naming the graph and tensor that contradicts the rest.</summary>
    public static BundleLayout Layout(BundleFiles files, InferenceSession embed, InferenceSession languageModel)
    {
        var lm = Path.GetFileName(files.LanguageModel);
        var embedFile = Path.GetFileName(files.EmbedTokens);
        if (!languageModel.InputMetadata.ContainsKey("position_ids"))
        {
            throw new InferenceException(InferenceErrorCode.BundleTensorMissing,
                $"{lm}: required input 'position_ids' is missing: {embedFile} has no 'exaggeration' input (the Turbo layout), whose language model takes position_ids.");
        }

        if (embed.InputMetadata.ContainsKey("exaggeration"))
        {
            throw new InferenceException(InferenceErrorCode.BundleTensorMismatch,
                $"{embedFile}: input 'exaggeration' belongs to the multilingual layout, but {lm} takes 'position_ids' (the Turbo layout); the graphs are from different exports.");
        }

        if (embed.InputMetadata.ContainsKey("position_ids"))
        {
            throw new InferenceException(InferenceErrorCode.BundleTensorMismatch,
                $"{embedFile}: input 'position_ids' is not part of the Turbo embed_tokens (its only input is 'input_ids'); the graphs are from different exports.");
        }

        return BundleLayout.Turbo;
    }

    /// <summary>The single-input embed graph; returns its fixed output width (0 when dynamic).</summary>
    public static int EmbedTokens(string path, InferenceSession session)
    {
        var contract = new GraphContract(path, session)
            .Input("input_ids", 2, TensorElementType.Int64)
            .Output("inputs_embeds", 3, TensorElementType.Float);
        if (contract.Inputs.Count != 1)
        {
            throw contract.Mismatch($"the Turbo embed_tokens takes only 'input_ids'; it also has {string.Join(", ", contract.Inputs.Keys.Where(k => k != "input_ids"))}.");
        }

        return contract.Outputs["inputs_embeds"].Dimensions[2];
    }

    /// <summary>Conditioning of 376 positions (1 speaker slot + 375 prompt tokens) when the axis is fixed.</summary>
    public static void SpeechEncoder(string path, InferenceSession session)
    {
        var contract = new GraphContract(path, session);
        var slots = contract.Outputs["audio_features"].Dimensions[1];
        if (slots > 0 && slots != TurboConstants.ConditioningSlots)
        {
            throw contract.Mismatch($"output 'audio_features' has {slots} conditioning positions; the Turbo layout has {TurboConstants.ConditioningSlots} (1 speaker slot + 375 prompt tokens).");
        }
    }
}
