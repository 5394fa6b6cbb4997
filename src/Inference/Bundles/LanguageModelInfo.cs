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
