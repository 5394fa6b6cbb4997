using Sawt.Inference.Generation;
using Sawt.Inference.Sampling;
using Sawt.Inference.Text;
using Sawt.Inference.Text.Segmentation;
using Sawt.Inference.Voices;

namespace Sawt.Inference.Streaming;

/// <summary>Tokens from the engine's own generator (its scheduler, or a test double): one submitted sequence per segment.</summary>
internal sealed class LocalTokenSource(ITextTokenizer tokenizer, ISpeechTokenGenerator generator, string language, VoiceConditionals voice, SamplingOptions sampling) : ISegmentTokenSource
{
    private int _segments;

    public ISegmentTokenStream Start(SpeechSegment segment, CancellationToken cancellationToken)
    {
        var text = tokenizer.Encode(segment.Text, language);
        // Only the first segment is subject to admission; the rest belong to an utterance already admitted.
        var request = new GenerationRequest(text, voice, sampling) { Continuation = Interlocked.Increment(ref _segments) > 1 };
        return new LocalTokenStream(generator.Submit(request, cancellationToken));
    }
}
