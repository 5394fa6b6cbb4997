namespace Sawt.Inference.Bundles;

/// <summary>Graph layouts the engine recognises from metadata (model-contract.md sections 2-4).</summary>
public enum BundleLayout
{
    /// <summary><c>onnx-community/chatterbox-multilingual-ONNX</c>: CFG as batch rows, logits 8194 wide.</summary>
    MultilingualV1,

    /// <summary>
    /// <c>hugbos/chatterbox-multilingual-ONNX-v2</c>: f16 embeddings and caches, a fixed batch of two rows, CFG inside the
    /// graph (<c>cfg_weight</c>), an <c>attn_layers</c> output for the alignment guard.
    /// </summary>
    MultilingualV2,

    /// <summary>
    /// <c>ResembleAI/chatterbox-turbo-ONNX</c>: GPT-2 backbone fed <c>position_ids</c>, embed without exaggeration or
    /// positions, no CFG, logits 6563 wide, English only (model-contract.md section 4).
    /// </summary>
    Turbo,
}
