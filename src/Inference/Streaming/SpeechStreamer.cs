using System.Runtime.CompilerServices;
using Sawt.Inference.Generation;
using Sawt.Inference.Sampling;
using Sawt.Inference.Text.Segmentation;
using Sawt.Inference.Voices;

namespace Sawt.Inference.Streaming;

/// <summary>
/// The engine's side of <see cref="UtterancePipeline"/>: tokens from its scheduler, chunks from its decoder. Generation
/// runs on the scheduler's thread while the pipeline decodes chunks as soon as the schedule allows.
/// </summary>
internal sealed class SpeechStreamer(TtsEngine engine, ISpeechTokenGenerator? generator = null)
{
    private readonly ISpeechTokenGenerator _generator = generator ?? engine.Scheduler;

    public async IAsyncEnumerable<AudioChunk> StreamAsync(
        IAsyncEnumerable<SpeechSegment> segments,
        string language,
        VoiceConditionals voice,
        SamplingOptions sampling,
        StreamingOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options.Validate();
        sampling.Validate();
        var pipeline = new UtterancePipeline(
            new LocalTokenSource(engine.Tokenizer, _generator, language, voice, sampling),
            new LocalChunkDecoder(engine.Decoder, voice),
            new UtterancePipelineOptions { Streaming = options, TrimFinalToken = engine.Options.TrimFinalToken });
        await using var source = new AsyncEnumerableSegmentSource(segments, cancellationToken);
        await foreach (var chunk in pipeline.RunAsync(source, cancellationToken).ConfigureAwait(false))
        {
            yield return chunk;
        }
    }
}
