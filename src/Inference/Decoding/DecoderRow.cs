using Sawt.Inference.Voices;

namespace Sawt.Inference.Decoding;

/// <summary>One row of a decoder call: a voice and the generated speech tokens to decode for it (each below 6561).</summary>
public sealed record DecoderRow(VoiceConditionals Voice, long[] Tokens)
{
    /// <summary>
    /// Rows batch together only when this key is equal: the graph has no padding mask and attends over the whole
    /// token and mel axes, so padding a shorter row would change its audio (a padded token is a real token to the
    /// encoder and the estimator). Equal prompt tokens, generated tokens and prompt mel frames make equal shapes.
    /// </summary>
    public (int PromptTokens, int Tokens, int FeatureFrames) ShapeKey => (Voice.PromptTokens.Length, Tokens.Length, Voice.FeatureFrames);
}
