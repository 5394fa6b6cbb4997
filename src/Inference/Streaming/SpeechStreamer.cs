using System.Diagnostics;
using System.Runtime.CompilerServices;
using Sawt.Inference.Generation;
using Sawt.Inference.Sampling;
using Sawt.Inference.Text.Segmentation;
using Sawt.Inference.Voices;

namespace Sawt.Inference.Streaming;

/// <summary>
/// Streams segments of text as one audio stream. Generation runs on the scheduler's thread while this
/// loop decodes chunks as soon as the schedule allows (pipelined, not turn-taking); the next segment is
/// submitted as soon as the current one stops generating, before its last chunk is decoded.
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
        var clock = Stopwatch.StartNew();
        using var generation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sequence = 0;
        var startSample = 0L;
        var lastWasFinal = false;
        // The generation token also ends a wait for the next segment, so leaving early can settle that wait (below).
        await using var enumerator = segments.GetAsyncEnumerator(generation.Token);
        Task<bool>? next = null;
        try
        {
            if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
            {
                yield return new AudioChunk(sequence, [], ChatterboxConstants.SampleRate, 0, 0, 0, 0, 0, 0, new ChunkTimings(clock.Elapsed, TimeSpan.Zero), IsFinal: true);
                yield break;
            }

            var segment = enumerator.Current;
            var handle = Submit(segment, language, voice, sampling, generation.Token);
            for (var segmentIndex = 0; ; segmentIndex++)
            {
                var planner = new ChunkPlanner(options);
                var stitcher = new ChunkStitcher(options);
                var tokens = new List<long>(handle.MaxSteps);
                var pause = segmentIndex > 0 ? options.PauseSamples : 0;
                next = enumerator.MoveNextAsync().AsTask();

                while (await handle.Tokens.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (handle.Tokens.TryRead(out var token))
                    {
                        tokens.Add(token);
                    }

                    while (planner.Next(tokens.Count, generationEnded: false) is { } plan)
                    {
                        var chunk = await DecodeChunk(plan, tokens, handle, stitcher, segment, segmentIndex, sequence++, startSample, pause, isStreamFinal: false, trim: false, clock, cancellationToken).ConfigureAwait(false);
                        startSample += chunk.Samples.Length;
                        pause = 0;
                        yield return chunk;
                    }
                }

                var summary = await handle.Completion.ConfigureAwait(false);

                // Know whether another segment follows, without waiting for more text to arrive.
                var hasNext = next.IsCompleted ? await next.ConfigureAwait(false) : (bool?)null;
                SpeechSegment? nextSegment = hasNext == true ? enumerator.Current : null;
                GenerationHandle? nextHandle = nextSegment is null ? null : Submit(nextSegment, language, voice, sampling, generation.Token);

                var finalPlan = planner.Next(tokens.Count, generationEnded: true)!;
                var trim = engine.Options.TrimFinalToken && summary.StopReason == StopReason.EndOfSpeech;
                var last = await DecodeChunk(finalPlan, tokens, handle, stitcher, segment, segmentIndex, sequence++, startSample, pause, isStreamFinal: hasNext == false, trim, clock, cancellationToken).ConfigureAwait(false);
                startSample += last.Samples.Length;
                lastWasFinal = last.IsFinal;
                yield return last;

                if (hasNext is null)
                {
                    hasNext = await next.ConfigureAwait(false);
                    if (hasNext == true)
                    {
                        nextSegment = enumerator.Current;
                        nextHandle = Submit(nextSegment, language, voice, sampling, generation.Token);
                    }
                }

                if (hasNext == false)
                {
                    break;
                }

                segment = nextSegment!;
                handle = nextHandle!;
            }

            if (!lastWasFinal)
            {
                yield return new AudioChunk(sequence, [], ChatterboxConstants.SampleRate, startSample, segment.Start + segment.Length, 0, -1, 0, 0, new ChunkTimings(clock.Elapsed, TimeSpan.Zero), IsFinal: true);
            }
        }
        finally
        {
            // Whatever is still generating (consumer stopped, error, cancel) is dropped at the next step.
            await generation.CancelAsync().ConfigureAwait(false);

            // A segment source may still be waiting for more text (an incremental context whose reader left);
            // disposing an async enumerator while a MoveNextAsync is in flight throws, so let the cancelled wait end first.
            if (next is { IsCompleted: false })
            {
                try
                {
                    await next.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Expected: the wait was cancelled just above.
                }
            }
        }
    }

    private GenerationHandle Submit(SpeechSegment segment, string language, VoiceConditionals voice, SamplingOptions sampling, CancellationToken cancellationToken)
    {
        var text = engine.Tokenizer.Encode(segment.Text, language);
        return _generator.Submit(new GenerationRequest(text, voice, sampling), cancellationToken);
    }

    private async Task<AudioChunk> DecodeChunk(
        DecodePlan plan,
        List<long> tokens,
        GenerationHandle handle,
        ChunkStitcher stitcher,
        SpeechSegment segment,
        int segmentIndex,
        int sequence,
        long startSample,
        int pauseSamples,
        bool isStreamFinal,
        bool trim,
        Stopwatch clock,
        CancellationToken cancellationToken)
    {
        var decodeStarted = clock.Elapsed;
        var window = tokens.GetRange(plan.ContextStart, plan.DecodeEnd - plan.ContextStart).ToArray();
        var decoded = window.Length == 0
            ? []
            : await Task.Run(() => engine.Decoder.Decode(handle.Sequence.Voice, window, cancellationToken), cancellationToken).ConfigureAwait(false);
        var samples = stitcher.Stitch(plan, decoded, trim);
        if (pauseSamples > 0)
        {
            samples = [.. new float[pauseSamples], .. samples];
        }

        return new AudioChunk(
            sequence,
            samples,
            ChatterboxConstants.SampleRate,
            startSample,
            segment.Start,
            segment.Length,
            segmentIndex,
            plan.EmitStart,
            plan.EmitEnd - plan.EmitStart,
            new ChunkTimings(clock.Elapsed, clock.Elapsed - decodeStarted),
            isStreamFinal);
    }
}
