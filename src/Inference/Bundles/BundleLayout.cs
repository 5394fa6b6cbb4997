namespace Sawt.Inference.Bundles;

/// <summary>Graph layouts the engine recognises from metadata (model-contract.md sections 2-4).</summary>
public enum BundleLayout
{
    /// <summary><c>onnx-community/chatterbox-multilingual-ONNX</c>: CFG as batch rows, logits 8194 wide.</summary>
    MultilingualV1,
}
