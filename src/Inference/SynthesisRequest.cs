using Sawt.Inference.Sampling;
using Sawt.Inference.Voices;

namespace Sawt.Inference;

/// <summary>One utterance to synthesize.</summary>
/// <param name="Text">The text to speak.</param>
/// <param name="Language">One of the 23 language codes, e.g. <c>ar</c>.</param>
/// <param name="Voice">Speaker conditionals; null uses the bundle's default voice.</param>
/// <param name="Sampling">Sampling options; null uses the reference defaults.</param>
public sealed record SynthesisRequest(string Text, string Language, VoiceConditionals? Voice = null, SamplingOptions? Sampling = null);
