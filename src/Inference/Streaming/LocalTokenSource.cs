using Sawt.Inference.Generation;
using Sawt.Inference.Sampling;
using Sawt.Inference.Text;
using Sawt.Inference.Text.Segmentation;
using Sawt.Inference.Voices;

namespace Sawt.Inference.Streaming;

/// <summary>Tokens from the engine's own generator (its scheduler, or a test double): one submitted sequence per segment.</summary>
internal sealed class LocalTokenSource(ITextTokenizer tokenizer, ISpeechTokenGenerator generator, string language, VoiceConditionals voice, SamplingOptions sampling) : ISegmentTokenSource
{
    public ISegmentTokenStream Start(SpeechSegment segment, bool continuation, CancellationToken cancellationToken)
    {
        var text = tokenizer.Encode(segment.Text, language);
        var request = new GenerationRequest(text, voice, sampling) { Continuation = continuation };
        return new LocalTokenStream(generator.Submit(request, cancellationToken));
    }
}
