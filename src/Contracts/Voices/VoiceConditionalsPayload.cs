namespace Sawt.Contracts.Voices;

/// <summary>Speaker conditionals from the speech encoder, as shipped between grains and stored per voice.</summary>
[GenerateSerializer, Immutable, Alias("sawt.voice-conditionals")]
public sealed record VoiceConditionalsPayload(
    [property: Id(0)] float[] AudioFeatures,
    [property: Id(1)] int ConditioningLength,
    [property: Id(2)] int HiddenSize,
    [property: Id(3)] long[] PromptTokens,
    [property: Id(4)] float[] SpeakerEmbedding,
    [property: Id(5)] float[] SpeakerFeatures,
    [property: Id(6)] int FeatureFrames);
