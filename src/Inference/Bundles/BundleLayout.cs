namespace Sawt.Inference.Bundles;

/// <summary>Graph layouts the engine recognises from metadata (model-contract.md sections 2-4).</summary>
public enum BundleLayout
{
    /// <summary><c>onnx-community/chatterbox-multilingual-ONNX</c>: CFG as batch rows, logits 8194 wide.</summary>
    MultilingualV1,

    /// <summary>
    /// <c>ResembleAI/chatterbox-turbo-ONNX</c>: GPT-2 backbone fed <c>position_ids</c>, embed without exaggeration or
    /// positions, no CFG, logits 6563 wide, English only (model-contract.md section 4).
    /// </summary>
    Turbo,
}
