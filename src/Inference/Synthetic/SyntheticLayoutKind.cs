namespace Sawt.Inference.Synthetic;

/// <summary>Which real export a synthetic bundle imitates (file names, tensor names, element types).</summary>
public enum SyntheticLayoutKind
{
    /// <summary><c>onnx-community/chatterbox-multilingual-ONNX</c> (model-contract.md section 2).</summary>
    MultilingualV1,

    /// <summary>
    /// <c>hugbos/chatterbox-multilingual-ONNX-v2</c> (model-contract.md section 3): f16 embeddings and caches, CFG inside
    /// the LM, a fixed batch of two rows, an <c>attn_layers</c> output, decoders <c>_n4</c>/<c>_n6</c>/<c>_n10</c>.
    /// </summary>
    MultilingualV2,

    /// <summary>
    /// <c>ResembleAI/chatterbox-turbo-ONNX</c> (model-contract.md section 4): GPT-2-style LM with <c>position_ids</c>,
    /// 6563-wide logits, single-input <c>embed_tokens</c>, 376 conditioning positions, GPT-2 tokenizer files.
    /// </summary>
    Turbo,
}
