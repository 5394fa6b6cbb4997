using Sawt.Inference.Sampling;
using Sawt.Inference.Text;
using Sawt.Inference.Voices;

namespace Sawt.Inference.Generation;

/// <summary>What one T3 sequence needs: template ids, the voice and the sampling options.</summary>
public sealed record GenerationRequest(TokenizedText Text, VoiceConditionals Voice, SamplingOptions Sampling);
