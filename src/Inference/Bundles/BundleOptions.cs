using Sawt.Inference.Runtime;

namespace Sawt.Inference.Bundles;

/// <summary>How to load a model bundle.</summary>
public sealed record BundleOptions
{
    /// <summary><c>auto</c>, <c>cpu</c> or <c>cuda:N</c>.</summary>
    public ExecutionProviderChoice ExecutionProvider { get; init; } = ExecutionProviderChoice.Auto;

    /// <summary>
    /// Language-model file variant: <c>fp32</c> (no suffix), <c>fp16</c>, <c>quantized</c> (Turbo's q8), <c>q4</c> or <c>q4f16</c>.
    /// Null picks the first present in that order.
    /// </summary>
    public string? LanguageModelVariant { get; init; }

    /// <summary>Load a draft language model when one is available (speculative decoding).</summary>
    public bool LoadDraftModel { get; init; } = true;

    /// <summary>
    /// The draft model for speculative decoding: null takes <c>onnx/language_model_draft.onnx</c> when present; a
    /// variant name (<c>q4</c>, <c>q4f16</c>, <c>fp16</c>, <c>fp32</c>) takes that variant of the bundle's own language
    /// model (the natural draft of a real bundle is its <c>_q4</c> file); anything else is the path of a draft
    /// <c>.onnx</c> with the same vocabulary and hidden size.
    /// </summary>
    public string? DraftModel { get; init; }

    /// <summary>
    /// Decoder variants to load (<c>n4</c>, <c>n6</c>, <c>n10</c>, <c>fp32</c>, <c>fp16</c>, <c>quantized</c>, <c>q4</c>,
    /// <c>q4f16</c>), the first being the default; each must be in the bundle. Null or empty loads the first present of
    /// n6, n10, n4, fp32, ... (see <see cref="DecoderVariantLocator"/>).
    /// </summary>
    public IReadOnlyList<string>? DecoderVariants { get; init; }

    /// <summary>ONNX Runtime intra-op threads per session; 0 lets ONNX Runtime decide.</summary>
    public int IntraOpThreads { get; init; }
}
