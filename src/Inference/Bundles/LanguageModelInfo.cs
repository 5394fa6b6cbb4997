using Microsoft.ML.OnnxRuntime.Tensors;

namespace Sawt.Inference.Bundles;

/// <summary>What the language-model graph's metadata says about it (read at load time, never assumed).</summary>
public sealed record LanguageModelInfo(
    int Layers,
    int KvHeads,
    int HeadDim,
    int HiddenSize,
    int LogitsWidth,
    TensorElementType KvElementType,
    bool BatchAxisFixedToOne,
    bool HasPositionIds,
    bool HasAttentionOutputs)
{
    /// <summary>Element type of <c>inputs_embeds</c> and <c>logits</c>: f32, or f16 in the v2 re-export.</summary>
    public TensorElementType ActivationElementType { get; init; } = TensorElementType.Float;

    /// <summary>
    /// The v2 re-export's contract: a fixed batch of two rows per sequence (conditional, unconditional), CFG combined
    /// inside the graph from a <c>cfg_weight</c> input, logits [1, S, width], and <c>attn_layers</c>.
    /// </summary>
    public bool GuidanceInGraph { get; init; }

    /// <summary>Names of the cache inputs in layer order, key then value.</summary>
    public IEnumerable<string> PastNames()
    {
        for (var l = 0; l < Layers; l++)
        {
            yield return $"past_key_values.{l}.key";
            yield return $"past_key_values.{l}.value";
        }
    }

    /// <summary>Names of the cache outputs, matched to <see cref="PastNames"/> by name, not position.</summary>
    public IEnumerable<string> PresentNames()
    {
        for (var l = 0; l < Layers; l++)
        {
            yield return $"present.{l}.key";
            yield return $"present.{l}.value";
        }
    }
}
