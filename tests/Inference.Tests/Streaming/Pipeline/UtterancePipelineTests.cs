using Sawt.Inference.Streaming;

namespace Sawt.Inference.Tests.Streaming.Pipeline;

/// <summary>
/// The utterance pipeline's ordering with scripted ports: which port was asked what, in which order, and what came
/// out. Every fake answers synchronously (except where a test says otherwise), so nothing depends on timing.
/// </summary>
[Trait("Category", "Unit")]
public sealed class UtterancePipelineTests
{
    private const int Token = ChatterboxConstants.SamplesPerToken;
    private const int TestTimeout = 30_000;

    /// <summary>Chunks of 4 new tokens, 2 of context, 1 held back; no cross-fade, so stitched audio is exact.</summary>
    private static readonly StreamingOptions SmallChunks = new() { ChunkSchedule = [4], ContextTokens = 2, HoldbackTokens = 1, CrossFadeMilliseconds = 0 };

    /// <summary>100 ms of silence between segments: 2400 samples.</summary>
    private static readonly StreamingOptions SmallChunksWithPause = SmallChunks with { SentencePauseMilliseconds = 100 };

    private const int PauseSamples = 2400;

    private readonly CallLog _log = new();

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_TwoSegments_AudioHoldsEveryTokenOnceInOrderWithConsecutiveSequences()
    {
        var (pipeline, _) = Pipeline(SmallChunks, ("A", new TokenScript(11, BatchSize: 3)), ("B", new TokenScript(6, BatchSize: 2)));

        var chunks = await Collect(pipeline.RunAsync(new ScriptedSegments(_log, ["A", "B"]), TestContext.Current.CancellationToken));

        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Sequence));
        Assert.Equal(Offsets(chunks), chunks.Select(c => c.StartSample));
        Assert.Equal([.. Spoken("A", 11), .. Spoken("B", 6)], chunks.SelectMany(c => c.Samples));
        Assert.Equal(17, chunks.Sum(c => c.TokenCount));
        Assert.Equal([0, 1], chunks.Select(c => c.SegmentIndex).Distinct());
        Assert.All(chunks, c => Assert.Equal(c.SegmentIndex, c.TextStart)); // segment "A" spans [0, 1), "B" [1, 2)
        Assert.True(chunks[^1].IsFinal);
        Assert.All(chunks[..^1], c => Assert.False(c.IsFinal));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_SentencePause_OpensEverySegmentButTheFirst()
    {
        var (pipeline, _) = Pipeline(SmallChunksWithPause, ("A", new TokenScript(9, BatchSize: 9)), ("B", new TokenScript(9, BatchSize: 9)), ("C", new TokenScript(2, BatchSize: 2)));

        var chunks = await Collect(pipeline.RunAsync(new ScriptedSegments(_log, ["A", "B", "C"]), TestContext.Current.CancellationToken));

        float[] silence = new float[PauseSamples];
        Assert.Equal([.. Spoken("A", 9), .. silence, .. Spoken("B", 9), .. silence, .. Spoken("C", 2)], chunks.SelectMany(c => c.Samples));

        // The pause is part of each later segment's first chunk, never a chunk of its own.
        Assert.All(chunks.Where(c => c.SegmentIndex > 0).GroupBy(c => c.SegmentIndex), g => Assert.Equal(silence, g.First().Samples[..PauseSamples]));
        Assert.All(chunks, c => Assert.True(c.TokenCount > 0));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_NextSegmentReady_StartedAfterCurrentStopsGeneratingBeforeItsLastChunkIsDecoded()
    {
        var (pipeline, _) = Pipeline(SmallChunks, ("A", new TokenScript(11, BatchSize: 3)), ("B", new TokenScript(6, BatchSize: 2)));

        await Collect(pipeline.RunAsync(new ScriptedSegments(_log, ["A", "B"]), TestContext.Current.CancellationToken));

        var endA = _log.IndexOf("end A");
        var startB = _log.IndexOf("start B");
        var lastDecodeA = _log.LastIndexStartingWith("decode A");
        Assert.True(endA < startB, string.Join(", ", _log.Calls));
        Assert.True(startB < lastDecodeA, string.Join(", ", _log.Calls));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_EndKnownInTime_LastSegmentChunkIsFinalAndNoMarker()
    {
        var (pipeline, _) = Pipeline(SmallChunks, ("A", new TokenScript(7, BatchSize: 7)));

        var chunks = await Collect(pipeline.RunAsync(new ScriptedSegments(_log, ["A"]), TestContext.Current.CancellationToken));

        Assert.True(chunks[^1].IsFinal);
        Assert.Equal(0, chunks[^1].SegmentIndex);
        Assert.All(chunks, c => Assert.True(c.TokenCount > 0));
        Assert.DoesNotContain("input ended", _log.Calls);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_EndKnownOnlyAfterLastChunk_EmptyFinalMarkerFollows()
    {
        var (pipeline, _) = Pipeline(SmallChunks, ("A", new TokenScript(7, BatchSize: 7)), ("B", new TokenScript(3, BatchSize: 1)));

        var chunks = await Collect(pipeline.RunAsync(new ScriptedSegments(_log, ["A", "B"], endKnown: false), TestContext.Current.CancellationToken));

        var marker = chunks[^1];
        Assert.True(marker.IsFinal);
        Assert.Empty(marker.Samples);
        Assert.Equal(-1, marker.SegmentIndex);
        Assert.Equal(0, marker.TokenCount);
        Assert.Equal(2, marker.TextStart); // just past "B"
        Assert.Equal(chunks.Count - 1, marker.Sequence);
        Assert.Equal(chunks[..^1].Sum(c => c.Samples.Length), marker.StartSample);
        Assert.All(chunks[..^1], c => Assert.False(c.IsFinal));
        Assert.True(_log.LastIndexStartingWith("decode B") < _log.IndexOf("input ended"));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_NoSegments_OnlyTheFinalMarker()
    {
        var (pipeline, tokens) = Pipeline(SmallChunks);

        var chunks = await Collect(pipeline.RunAsync(new ScriptedSegments(_log, [], endKnown: false), TestContext.Current.CancellationToken));

        var marker = Assert.Single(chunks);
        Assert.True(marker.IsFinal);
        Assert.Equal((0, -1, 0), (marker.Sequence, marker.SegmentIndex, marker.Samples.Length));
        Assert.Empty(tokens.Started);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_SegmentArrivesAfterLastChunk_StartedThenAndSpokenInOrder()
    {
        var (pipeline, _) = Pipeline(SmallChunksWithPause, ("A", new TokenScript(5, BatchSize: 5)), ("B", new TokenScript(5, BatchSize: 5)));

        var chunks = await Collect(pipeline.RunAsync(new ScriptedSegments(_log, ["A"], later: ["B"]), TestContext.Current.CancellationToken));

        Assert.True(_log.LastIndexStartingWith("decode A") < _log.IndexOf("arrive B"));
        Assert.True(_log.IndexOf("arrive B") < _log.IndexOf("start B"));
        Assert.Equal([.. Spoken("A", 5), .. new float[PauseSamples], .. Spoken("B", 5)], chunks.SelectMany(c => c.Samples));
        Assert.True(chunks[^1].IsFinal);
        Assert.Equal(1, chunks[^1].SegmentIndex);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_LaterSegments_StartedAsContinuations_OnlyTheFirstIsSubjectToAdmission()
    {
        // B is ready while A is spoken (started ahead), C arrives only after B's last chunk (started then).
        var (pipeline, tokens) = Pipeline(SmallChunks, ("A", new TokenScript(5, BatchSize: 5)), ("B", new TokenScript(5, BatchSize: 5)), ("C", new TokenScript(5, BatchSize: 5)));

        await Collect(pipeline.RunAsync(new ScriptedSegments(_log, ["A", "B"], later: ["C"]), TestContext.Current.CancellationToken));

        Assert.Equal([("A", false), ("B", true), ("C", true)], tokens.Continuations);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_DecoderFails_ThatErrorSurfacesAndGenerationsAreDropped()
    {
        var failure = new InferenceException(InferenceErrorCode.RuntimeFailure, "The decoder failed (scripted).");
        var tokens = new ScriptedTokenSource(_log, Scripts(("A", new TokenScript(9, BatchSize: 9)), ("B", new TokenScript(9, BatchSize: 9))));
        var decoder = new ScriptedDecoder(_log) { FailOnCall = 3, Failure = failure }; // A's last chunk, with B already started
        var pipeline = new UtterancePipeline(tokens, decoder, new UtterancePipelineOptions { Streaming = SmallChunks });
        var received = new List<AudioChunk>();

        var error = await Assert.ThrowsAsync<InferenceException>(async () =>
        {
            await foreach (var chunk in pipeline.RunAsync(new ScriptedSegments(_log, ["A", "B"]), TestContext.Current.CancellationToken))
            {
                received.Add(chunk);
            }
        });

        Assert.Same(failure, error);
        Assert.Equal(2, received.Count);
        Assert.Equal(["A", "B"], tokens.Started.Select(s => s.Segment));
        Assert.All(tokens.Started, s => Assert.True(s.Disposed && s.Generation.IsCancellationRequested));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_GenerationFails_ThatErrorSurfacesAfterTheChunksBeforeIt()
    {
        var failure = new InferenceException(InferenceErrorCode.RuntimeFailure, "The language model failed (scripted).");
        var (pipeline, tokens) = Pipeline(SmallChunks, ("A", new TokenScript(20, BatchSize: 5, FailAfterReads: 2, Failure: failure)));
        var received = new List<AudioChunk>();

        var error = await Assert.ThrowsAsync<InferenceException>(async () =>
        {
            await foreach (var chunk in pipeline.RunAsync(new ScriptedSegments(_log, ["A"]), TestContext.Current.CancellationToken))
            {
                received.Add(chunk);
            }
        });

        Assert.Same(failure, error);
        Assert.Equal(Spoken("A", 8), received.SelectMany(c => c.Samples)); // two chunks of 4 from the 10 tokens read
        Assert.True(tokens.Started[0].Disposed);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_CancelledDuringADecode_ThatChunkIsNotEmittedAndGenerationsAreDropped()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var tokens = new ScriptedTokenSource(_log, Scripts(("A", new TokenScript(9, BatchSize: 9)), ("B", new TokenScript(9, BatchSize: 9))));
        var decoder = new ScriptedDecoder(_log) { CancelOnCall = 3, Cancel = cancel }; // the decoder finishes; the cancel came while it ran
        var pipeline = new UtterancePipeline(tokens, decoder, new UtterancePipelineOptions { Streaming = SmallChunks });
        var received = new List<AudioChunk>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var chunk in pipeline.RunAsync(new ScriptedSegments(_log, ["A", "B"]), cancel.Token))
            {
                received.Add(chunk);
            }
        });

        Assert.Equal(2, received.Count);
        Assert.Equal(3, _log.Calls.Count(c => c.StartsWith("decode", StringComparison.Ordinal)));
        Assert.All(tokens.Started, s => Assert.True(s.Disposed && s.Generation.IsCancellationRequested));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_ConsumerStopsEarly_StartedGenerationsDropped()
    {
        var (pipeline, tokens) = Pipeline(SmallChunks, ("A", new TokenScript(30, BatchSize: 5)));

        await foreach (var _ in pipeline.RunAsync(new ScriptedSegments(_log, ["A"]), TestContext.Current.CancellationToken))
        {
            break;
        }

        var started = Assert.Single(tokens.Started);
        Assert.True(started.Disposed);
        Assert.True(started.Generation.IsCancellationRequested);
    }

    [Theory(Timeout = TestTimeout)]
    [InlineData(true, true, 6)]
    [InlineData(true, false, 7)]
    [InlineData(false, true, 7)]
    public async Task RunAsync_TrimFinalToken_DropsTheLastTokenOnlyAfterTheStopTokenWhenEnabled(bool trimEnabled, bool stopToken, int tokensSpoken)
    {
        var tokens = new ScriptedTokenSource(_log, Scripts(("A", new TokenScript(7, BatchSize: 7, StopToken: stopToken))));
        var pipeline = new UtterancePipeline(tokens, new ScriptedDecoder(_log), new UtterancePipelineOptions { Streaming = SmallChunks, TrimFinalToken = trimEnabled });

        var chunks = await Collect(pipeline.RunAsync(new ScriptedSegments(_log, ["A"]), TestContext.Current.CancellationToken));

        Assert.Equal(Spoken("A", tokensSpoken), chunks.SelectMany(c => c.Samples));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_ProjectedSamples_CheckedAfterEveryReadWithPausesIncluded()
    {
        var projections = new List<long>();
        var tokens = new ScriptedTokenSource(_log, Scripts(("A", new TokenScript(5, BatchSize: 3)), ("B", new TokenScript(2, BatchSize: 2))));
        var pipeline = new UtterancePipeline(tokens, new ScriptedDecoder(_log), new UtterancePipelineOptions { Streaming = SmallChunksWithPause, CheckProjectedSamples = projections.Add });

        await Collect(pipeline.RunAsync(new ScriptedSegments(_log, ["A", "B"]), TestContext.Current.CancellationToken));

        Assert.Equal([3L * Token, 5L * Token, (5L * Token) + PauseSamples + (2L * Token)], projections);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_ProjectedSamplesRefused_StopsBeforeThatAudioIsEmitted()
    {
        var tooLong = new InvalidOperationException("over the audio limit (scripted)");
        var tokens = new ScriptedTokenSource(_log, Scripts(("A", new TokenScript(12, BatchSize: 6))));
        var options = new UtterancePipelineOptions { Streaming = SmallChunks, CheckProjectedSamples = samples => { if (samples > 10L * Token) { throw tooLong; } } };
        var pipeline = new UtterancePipeline(tokens, new ScriptedDecoder(_log), options);
        var received = new List<AudioChunk>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var chunk in pipeline.RunAsync(new ScriptedSegments(_log, ["A"]), TestContext.Current.CancellationToken))
            {
                received.Add(chunk);
            }
        });

        Assert.Same(tooLong, error);
        Assert.Equal(Spoken("A", 4), received.SelectMany(c => c.Samples)); // the first 6 tokens made one chunk of 4
    }

    [Theory(Timeout = TestTimeout)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_ContinueOnCapturedContext_DecidesWhetherPortsRunOnTheCallersScheduler(bool continueOnCapturedContext)
    {
        // An activation's scheduler runs one thing at a time, as this exclusive scheduler does.
        var activation = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;
        var tokens = new ThreadHoppingTokenSource(new ScriptedTokenSource(_log, Scripts(("A", new TokenScript(9, BatchSize: 3)), ("B", new TokenScript(5, BatchSize: 5)))));
        var options = new UtterancePipelineOptions { Streaming = SmallChunks, ContinueOnCapturedContext = continueOnCapturedContext, CheckProjectedSamples = _ => tokens.Record() };
        var pipeline = new UtterancePipeline(tokens, new ScriptedDecoder(_log), options);

        var chunks = await Task.Factory.StartNew(
            () => Collect(pipeline.RunAsync(new ScriptedSegments(_log, ["A", "B"]), TestContext.Current.CancellationToken)),
            TestContext.Current.CancellationToken,
            TaskCreationOptions.None,
            activation).Unwrap();

        Assert.True(chunks[^1].IsFinal);
        Assert.NotEmpty(tokens.Schedulers);
        Assert.Equal(continueOnCapturedContext, tokens.Schedulers.All(s => s == activation));
    }

    private (UtterancePipeline Pipeline, ScriptedTokenSource Tokens) Pipeline(StreamingOptions streaming, params (string Segment, TokenScript Script)[] scripts)
    {
        var tokens = new ScriptedTokenSource(_log, Scripts(scripts));
        return (new UtterancePipeline(tokens, new ScriptedDecoder(_log), new UtterancePipelineOptions { Streaming = streaming }), tokens);
    }

    private static Dictionary<string, TokenScript> Scripts(params (string Segment, TokenScript Script)[] scripts) =>
        scripts.ToDictionary(s => s.Segment, s => s.Script);

    /// <summary>The audio of a segment's first <paramref name="count"/> tokens, as <see cref="ScriptedDecoder"/> decodes them.</summary>
    private static float[] Spoken(string segment, int count) =>
        [.. Enumerable.Range(0, count).SelectMany(i => Enumerable.Repeat((float)TokenScript.Token(segment, i), Token))];

    private static IEnumerable<long> Offsets(List<AudioChunk> chunks)
    {
        var offset = 0L;
        foreach (var chunk in chunks)
        {
            yield return offset;
            offset += chunk.Samples.Length;
        }
    }

    private static async Task<List<AudioChunk>> Collect(IAsyncEnumerable<AudioChunk> stream)
    {
        var chunks = new List<AudioChunk>();
        await foreach (var chunk in stream)
        {
            chunks.Add(chunk);
        }

        return chunks;
    }
}
