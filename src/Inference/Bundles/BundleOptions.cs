using Sawt.Inference.Runtime;

namespace Sawt.Inference.Bundles;

/// <summary>How to load a model bundle.</summary>
public sealed record BundleOptions
{
    /// <summary><c>auto</c>, <c>cpu</c> or <c>cuda:N</c>.</summary>
    public ExecutionProviderChoice ExecutionProvider { get; init; } = ExecutionProviderChoice.Auto;

    /// <summary>
    /// Language-model file variant: <c>fp32</c> (no suffix), <c>fp16</c>, <c>q4</c> or <c>q4f16</c>.
    /// Null picks the first present in that order.
    /// </summary>
    public string? LanguageModelVariant { get; init; }

    /// <summary>Load <c>language_model_draft.onnx</c> when present (speculative decoding).</summary>
    public bool LoadDraftModel { get; init; } = true;

    /// <summary>ONNX Runtime intra-op threads per session; 0 lets ONNX Runtime decide.</summary>
    public int IntraOpThreads { get; init; }
}
