namespace Sawt.Inference.Voices;

/// <summary>
/// Speaker conditionals from <c>speech_encoder.onnx</c>, computed once per voice and reused by every
/// utterance. Arrays are row-major copies of the graph outputs for batch row 0.
/// </summary>
/// <param name="AudioFeatures">T3 conditioning, [ConditioningLength, HiddenSize].</param>
/// <param name="ConditioningLength">Conditioning positions (33 for the multilingual model).</param>
/// <param name="HiddenSize">Width of each conditioning vector.</param>
/// <param name="PromptTokens">Decoder prompt speech tokens (first 10 s of the reference, all &lt; 6561).</param>
/// <param name="SpeakerEmbedding">192-d x-vector for the decoder.</param>
/// <param name="SpeakerFeatures">Decoder prompt mel, [FeatureFrames, 80].</param>
/// <param name="FeatureFrames">Mel frames in <paramref name="SpeakerFeatures"/>, about 2 per prompt token.</param>
public sealed record VoiceConditionals(
    float[] AudioFeatures,
    int ConditioningLength,
    int HiddenSize,
    long[] PromptTokens,
    float[] SpeakerEmbedding,
    float[] SpeakerFeatures,
    int FeatureFrames);
