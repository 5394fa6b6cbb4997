using Sawt.Contracts.Voices;
using Sawt.Inference.Voices;

namespace Sawt.Grains.Voices;

/// <summary>Converts between the engine's conditionals and their wire form.</summary>
internal static class VoicePayloads
{
    public static VoiceConditionalsPayload ToPayload(this VoiceConditionals v) =>
        new(v.AudioFeatures, v.ConditioningLength, v.HiddenSize, v.PromptTokens, v.SpeakerEmbedding, v.SpeakerFeatures, v.FeatureFrames);

    public static VoiceConditionals ToConditionals(this VoiceConditionalsPayload p) =>
        new(p.AudioFeatures, p.ConditioningLength, p.HiddenSize, p.PromptTokens, p.SpeakerEmbedding, p.SpeakerFeatures, p.FeatureFrames);
}
