namespace Sawt.Inference.Decoding;

/// <summary>Chunks that may share a graph call: the same decoder variant and equal shapes (<see cref="DecoderRow.ShapeKey"/>).</summary>
internal readonly record struct DecoderBatchKey(string Variant, int PromptTokens, int Tokens, int FeatureFrames)
{
    public static DecoderBatchKey For(string variant, DecoderRow row)
    {
        var (prompt, tokens, frames) = row.ShapeKey;
        return new DecoderBatchKey(variant, prompt, tokens, frames);
    }
}
