using System.Runtime.CompilerServices;
using Sawt.Inference.Text.Segmentation;

namespace Sawt.Inference.Streaming;

/// <summary>
/// The one ordering of a streamed utterance, used by the engine (<c>SpeechStreamer</c>) and the session grain alike:
/// segments in order; each segment's tokens cut into chunks by <see cref="ChunkPlanner"/> as they arrive, decoded and
/// stitched by <see cref="ChunkStitcher"/>; silence before every segment but the first; the next segment started as
/// soon as the current one stops generating, before its last chunk is decoded; sequence numbers consecutive over the
/// stream, whose last chunk alone is final (an empty final marker when the end of input was not known in time).
/// What differs between hosts sits behind the ports: segments, token source and decoder.
/// </summary>
/// <remarks>
/// Awaits resume on the captured context only with <see cref="UtterancePipelineOptions.ContinueOnCapturedContext"/>:
/// grains must not leave their activation scheduler, the engine has no context to return to.
/// </remarks>
public sealed class UtterancePipeline(ISegmentTokenSource tokens, IChunkDecoder decoder, UtterancePipelineOptions options)
{
    /// <summary>
    /// Speaks <paramref name="segments"/> as one stream of chunks. Stopping the enumeration, an error or
    /// <paramref name="cancellationToken"/> drops whatever is still generating.
    /// </summary>
    public async IAsyncEnumerable<AudioChunk> RunAsync(ISegmentSource segments, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var streaming = options.Streaming;
        streaming.Validate();
        var capture = options.ContinueOnCapturedContext;
        var cursor = new Cursor(options.Time);
        using var generation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ISegmentTokenStream? current = null;
        ISegmentTokenStream? next = null;
        try
        {
            var segment = await ReadSegmentAsync(segments, cancellationToken).ConfigureAwait(capture);
            if (segment is null)
            {
                yield return cursor.FinalMarker(textStart: 0, cancellationToken);
                yield break;
            }

            current = tokens.Start(segment, continuation: false, generation.Token);
            for (var segmentIndex = 0; ; segmentIndex++)
            {
                var planner = new ChunkPlanner(streaming);
                var stitcher = new ChunkStitcher(streaming);
                var generated = new List<long>();
                var pause = segmentIndex > 0 ? streaming.PauseSamples : 0;
                var samplesBefore = cursor.StartSample + pause;
                while (await current.ReadAsync(generated, cancellationToken).ConfigureAwait(capture))
                {
                    options.CheckProjectedSamples?.Invoke(samplesBefore + ((long)generated.Count * ChatterboxConstants.SamplesPerToken));
                    while (planner.Next(generated.Count, generationEnded: false) is { } plan)
                    {
                        yield return await DecodeAsync(cursor, plan, generated, stitcher, segment, segmentIndex, pause, trim: false, isFinal: false, cancellationToken).ConfigureAwait(capture);
                    }
                }

                // The next segment starts generating now, while this one's last chunk is decoded.
                var following = segments.TryRead(out var ready) ? ready : null;
                next = following is null ? null : tokens.Start(following, continuation: true, generation.Token);
                var isLast = next is null && segments.IsCompleted;
                var trim = options.TrimFinalToken && current.EndedWithStopToken;
                var finalPlan = planner.Next(generated.Count, generationEnded: true)!;
                var last = await DecodeAsync(cursor, finalPlan, generated, stitcher, segment, segmentIndex, pause, trim, isLast, cancellationToken).ConfigureAwait(capture);
                yield return last with { Outcome = new SegmentOutcome(current.StopReason, current.AlignmentWarnings) };

                var done = current;
                current = null;
                await done.DisposeAsync().ConfigureAwait(capture);
                if (isLast)
                {
                    yield break;
                }

                if (following is null)
                {
                    // The end of input was not known when the last chunk went out: wait for more text or the end.
                    following = await ReadSegmentAsync(segments, cancellationToken).ConfigureAwait(capture);
                    if (following is null)
                    {
                        yield return cursor.FinalMarker(textStart: segment.End, cancellationToken);
                        yield break;
                    }
                }

                current = next ?? tokens.Start(following, continuation: true, generation.Token);
                next = null;
                segment = following;
            }
        }
        finally
        {
            // Whatever is still generating (consumer stopped, error, cancel, a segment started ahead) is dropped.
            await generation.CancelAsync().ConfigureAwait(capture);
            if (next is not null)
            {
                await next.DisposeAsync().ConfigureAwait(capture);
            }

            if (current is not null)
            {
                await current.DisposeAsync().ConfigureAwait(capture);
            }
        }
    }

    private async Task<SpeechSegment?> ReadSegmentAsync(ISegmentSource segments, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (segments.TryRead(out var segment))
            {
                return segment;
            }

            if (!await segments.WaitToReadAsync(cancellationToken).ConfigureAwait(options.ContinueOnCapturedContext))
            {
                return null;
            }
        }
    }

    private async Task<AudioChunk> DecodeAsync(
        Cursor cursor,
        DecodePlan plan,
        List<long> generated,
        ChunkStitcher stitcher,
        SpeechSegment segment,
        int segmentIndex,
        int pauseSamples,
        bool trim,
        bool isFinal,
        CancellationToken cancellationToken)
    {
        var decodeStarted = options.Time.GetTimestamp();
        var window = generated.GetRange(plan.ContextStart, plan.DecodeEnd - plan.ContextStart).ToArray();
        var decoded = window.Length == 0
            ? []
            : await decoder.DecodeAsync(window, cancellationToken).ConfigureAwait(options.ContinueOnCapturedContext);
        var samples = stitcher.Stitch(plan, decoded, trim);

        // The pause opens the segment's first chunk, so it is never emitted without the speech that follows it.
        if (plan.Index == 0 && pauseSamples > 0)
        {
            samples = [.. new float[pauseSamples], .. samples];
        }

        // A chunk decoded after a cancel is not emitted.
        cancellationToken.ThrowIfCancellationRequested();
        return cursor.Chunk(samples, segment, segmentIndex, plan, options.Time.GetElapsedTime(decodeStarted), isFinal);
    }

    /// <summary>Where the stream stands: the next sequence number and sample offset, and its clock.</summary>
    private sealed class Cursor(TimeProvider time)
    {
        private readonly long _startedAt = time.GetTimestamp();
        private int _sequence;

        public long StartSample { get; private set; }

        public AudioChunk Chunk(float[] samples, SpeechSegment segment, int segmentIndex, DecodePlan plan, TimeSpan decodeTime, bool isFinal)
        {
            var chunk = new AudioChunk(
                _sequence++,
                samples,
                ChatterboxConstants.SampleRate,
                StartSample,
                segment.Start,
                segment.Length,
                segmentIndex,
                plan.EmitStart,
                plan.EmitEnd - plan.EmitStart,
                new ChunkTimings(time.GetElapsedTime(_startedAt), decodeTime),
                isFinal);
            StartSample += samples.Length;
            return chunk;
        }

        /// <summary>An empty final chunk that belongs to no segment (index -1).</summary>
        public AudioChunk FinalMarker(int textStart, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return new AudioChunk(_sequence++, [], ChatterboxConstants.SampleRate, StartSample, textStart, 0, -1, 0, 0, new ChunkTimings(time.GetElapsedTime(_startedAt), TimeSpan.Zero), IsFinal: true);
        }
    }
}
