using System.Threading.Channels;
using Sawt.Inference.Generation;
using Sawt.Inference.Sampling;
using Sawt.Inference.Streaming;

namespace Sawt.Inference.Tests.Streaming;

/// <summary>
/// Streamed audio against the one-call decode of the same tokens. Seam bound on the synthetic decoder
/// (whose tokens depend on +-2 neighbours): max |difference| <= 1e-4 within 20 ms of every seam, no excess
/// sample jump above 1e-4, log-spectral distance <= 0.1 dB. The real decoder redraws noise per call, so
/// on real weights these numbers are measured (bench), not asserted.
/// </summary>
[Trait("Category", "Unit")]
public sealed class StreamingSynthesisTests(TinyBundleFixture bundle)
{
    private const double SeamBound = 1e-4;

    [Theory]
    [InlineData("en", "Streaming speech should sound exactly like speaking it in one go, seam after seam.")]
    [InlineData("ar", "مرحبا بكم في سوت، نظام تحويل النص إلى كلام بالبث المباشر.")]
    public async Task StreamAsync_OneSentence_MatchesOneCallDecodeWithinSeamBound(string language, string text)
    {
        var sampling = new SamplingOptions { Seed = 21 };
        var chunks = await Collect(bundle.Engine.StreamAsync(new StreamingRequest(text, language, Sampling: sampling), TestContext.Current.CancellationToken));
        var whole = await bundle.Engine.SynthesizeAsync(new SynthesisRequest(text, language, Sampling: sampling), cancellationToken: TestContext.Current.CancellationToken);

        AssertWellFormed(chunks);
        var streamed = chunks.SelectMany(c => c.Samples).ToArray();
        Assert.Equal(whole.Audio.Length, streamed.Length);
        Assert.Equal(whole.SpeechTokens.Length, chunks.Sum(c => c.TokenCount));
        Assert.True(chunks.Count >= 3, $"only {chunks.Count} chunks");

        var seams = chunks.Skip(1).Select(c => c.StartSample).Where(s => s > 0 && s < streamed.Length).ToList();
        var report = SeamQuality.Measure(streamed, whole.Audio, seams);
        Assert.True(report.MaxAbsDifference <= SeamBound, $"{report}");
        Assert.True(report.MaxExcessJump <= SeamBound, $"{report}");
        Assert.True(report.MaxLogSpectralDistanceDb <= 0.1, $"{report}");
    }

    [Fact]
    public async Task StreamAsync_TooLittleContext_SeamMetricCatchesIt()
    {
        // One context token and one held back: tokens at each seam miss neighbours the one-call decode has.
        var sampling = new SamplingOptions { Seed = 21 };
        const string text = "Streaming speech should sound exactly like speaking it in one go, seam after seam.";
        var poor = new StreamingOptions { ContextTokens = 1, HoldbackTokens = 1, CrossFadeMilliseconds = 0 };
        var chunks = await Collect(bundle.Engine.StreamAsync(new StreamingRequest(text, "en", Sampling: sampling, Streaming: poor), TestContext.Current.CancellationToken));
        var whole = await bundle.Engine.SynthesizeAsync(new SynthesisRequest(text, "en", Sampling: sampling), cancellationToken: TestContext.Current.CancellationToken);
        var streamed = chunks.SelectMany(c => c.Samples).ToArray();
        var report = SeamQuality.Measure(streamed, whole.Audio, chunks.Skip(1).Select(c => c.StartSample).ToList());
        Assert.True(report.MaxAbsDifference > 100 * SeamBound, $"{report}");
    }

    [Fact]
    public async Task StreamAsync_SlowGenerator_FirstChunkArrivesWhileGenerating()
    {
        var slow = new SlowGenerator(bundle.Engine.Scheduler, TimeSpan.FromMilliseconds(15));
        var streamer = new SpeechStreamer(bundle.Engine, slow);
        var segments = OneSegment("A sentence long enough to need many tokens and several chunks of audio.");
        var firstChunkWhileGenerating = (bool?)null;
        var chunks = new List<AudioChunk>();
        await foreach (var chunk in streamer.StreamAsync(segments, "en", bundle.Engine.DefaultVoice, new SamplingOptions { Seed = 4 }, new StreamingOptions(), TestContext.Current.CancellationToken))
        {
            firstChunkWhileGenerating ??= !slow.Finished;
            chunks.Add(chunk);
        }

        Assert.True(firstChunkWhileGenerating, "the first chunk came only after generation had ended");
        Assert.True(slow.Finished);
        AssertWellFormed(chunks);
    }

    [Fact(Timeout = 60_000)]
    public async Task StreamAsync_GenerationFails_StreamFailsWithThatErrorInsteadOfHanging()
    {
        // Through the slow relay too: a double that swallowed the failure used to leave the streamer waiting for ever.
        var failure = new InferenceException(InferenceErrorCode.RuntimeFailure, "The language model failed (scripted).");
        var generator = new SlowGenerator(new FailingGenerator(bundle.Engine.Executor, tokensBeforeFailure: 30, failure), TimeSpan.FromMilliseconds(1));
        var streamer = new SpeechStreamer(bundle.Engine, generator);

        var error = await Assert.ThrowsAsync<InferenceException>(() => Collect(streamer.StreamAsync(
            OneSegment("A sentence whose generation fails after a few tokens."), "en", bundle.Engine.DefaultVoice, new SamplingOptions { Seed = 4 }, new StreamingOptions(), TestContext.Current.CancellationToken)));

        Assert.Same(failure, error);
        Assert.False(generator.Finished);
    }

    [Fact(Timeout = 60_000)]
    public async Task StreamAsync_CancelledMidStream_StopsGenerationAndReleasesNativeValues()
    {
        await using var engine = TtsEngine.Load(bundle.Directory, new TtsEngineOptions { Bundle = TinyBundleFixture.CpuBundle });
        var generator = new RecordingGenerator(engine.Scheduler);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var text = string.Join(' ', Enumerable.Repeat("This sentence goes on and on so that generation takes a long while.", 3));
        var received = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            var segments = new Sawt.Inference.Text.Segmentation.TextSegmenter().Segment(text, "en").ToAsyncEnumerable();
            await foreach (var _ in new SpeechStreamer(engine, generator).StreamAsync(segments, "en", engine.DefaultVoice, new SamplingOptions { Seed = 8 }, new StreamingOptions(), cancel.Token))
            {
                if (++received == 1)
                {
                    await cancel.CancelAsync();
                }
            }
        });

        // Every sequence the stream started has ended (cancelled, or finished before the cancel reached it); the
        // scheduler publishes its load in the step that ends the last one, and disposing joins its loop.
        await generator.WhenAllEndedAsync();
        await engine.DisposeAsync(); // joins the scheduler's loop (disposing again at the end of the test is harmless)
        Assert.Equal(1, received);
        Assert.NotEmpty(generator.Handles);
        Assert.Equal(0, engine.CurrentLoad.ActiveSequences);
        Assert.Equal(0, engine.CurrentLoad.QueuedSequences);
        Assert.Equal(0, engine.CurrentLoad.KvCacheBytes);
        Assert.Equal(0, engine.Bundle.Ledger.LiveValues);
    }

    [Fact(Timeout = 60_000)]
    public async Task StreamAsync_ConsumerStopsEarly_SequenceDropped()
    {
        await using var engine = TtsEngine.Load(bundle.Directory, new TtsEngineOptions { Bundle = TinyBundleFixture.CpuBundle });
        var generator = new RecordingGenerator(engine.Scheduler);
        var segments = OneSegment("A long sentence, that the consumer abandons after the first chunk of audio.");
        await foreach (var _ in new SpeechStreamer(engine, generator).StreamAsync(segments, "en", engine.DefaultVoice, new SamplingOptions(), new StreamingOptions(), TestContext.Current.CancellationToken))
        {
            break;
        }

        await generator.WhenAllEndedAsync();
        await engine.DisposeAsync(); // joins the scheduler's loop (disposing again at the end of the test is harmless)
        Assert.Single(generator.Handles);
        Assert.Equal(0, engine.CurrentLoad.ActiveSequences);
        Assert.Equal(0, engine.CurrentLoad.KvCacheBytes);
    }

    [Fact]
    public async Task StreamAsync_ArabicParagraph_SentencesInOrderWithPauses()
    {
        const string text = "مرحبا بكم. كيف حالكم اليوم؟ نتمنى لكم يوما سعيدا!";
        var options = new StreamingOptions { SentencePauseMilliseconds = 100 };
        var chunks = await Collect(bundle.Engine.StreamAsync(new StreamingRequest(text, "ar", Sampling: new SamplingOptions { Seed = 3 }, Streaming: options), TestContext.Current.CancellationToken));
        AssertWellFormed(chunks);
        var segments = chunks.Where(c => c.SegmentIndex >= 0).GroupBy(c => c.SegmentIndex).ToList();
        Assert.Equal(3, segments.Count);
        Assert.Equal([0, 1, 2], segments.Select(g => g.Key));
        var spans = segments.Select(g => (g.First().TextStart, g.First().TextLength)).ToList();
        Assert.Equal("مرحبا بكم.", text.Substring(spans[0].TextStart, spans[0].TextLength));
        Assert.Equal("كيف حالكم اليوم؟", text.Substring(spans[1].TextStart, spans[1].TextLength));
        Assert.True(spans[1].TextStart > spans[0].TextStart && spans[2].TextStart > spans[1].TextStart);
        // Each later sentence opens with 100 ms (2400 samples) of silence.
        foreach (var group in segments.Skip(1))
        {
            Assert.All(group.First().Samples[..2400], s => Assert.Equal(0f, s));
        }
    }

    [Fact]
    public async Task Context_PiecesSplitMidWordAndNumber_SameAudioAsWholeText()
    {
        const string text = "The price rose 3.5 percent today. Analysts expected 2,000 new jobs, and more.";
        var sampling = new SamplingOptions { Seed = 12 };
        var whole = await Collect(bundle.Engine.StreamAsync(new StreamingRequest(text, "en", Sampling: sampling), TestContext.Current.CancellationToken));

        // Whole-text segmentation rules (no eager clauses), so the two paths must cut the text identically.
        await using var context = bundle.Engine.CreateContext("en", sampling: sampling, segmentation: Sawt.Inference.Text.Segmentation.SegmentationOptions.Default);
        var reading = Collect(context.ReadAllAsync(TestContext.Current.CancellationToken));
        string[] pieces = ["The pri", "ce rose 3", ".", "5 perc", "ent today", ". Analysts expected 2", ",000 new j", "obs, and more."];
        foreach (var piece in pieces)
        {
            context.AppendText(piece);
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        context.Complete();
        var incremental = await reading;
        AssertWellFormed(incremental);
        Assert.Equal(whole.SelectMany(c => c.Samples).ToArray(), incremental.SelectMany(c => c.Samples).ToArray());
        Assert.Equal(whole.Where(c => c.TokenCount > 0).Select(c => c.TextStart).Distinct(), incremental.Where(c => c.TokenCount > 0).Select(c => c.TextStart).Distinct());
    }

    [Fact]
    public async Task Context_FlushBeforeBoundary_SpeaksBufferedTextNow()
    {
        await using var context = bundle.Engine.CreateContext("en", sampling: new SamplingOptions { Seed = 1 });
        var chunks = context.ReadAllAsync(TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);
        context.AppendText("no boundary here yet");
        context.Flush();
        Assert.True(await chunks.MoveNextAsync());
        Assert.Equal(0, chunks.Current.SegmentIndex);
        context.Complete();
        var rest = new List<AudioChunk> { chunks.Current };
        while (await chunks.MoveNextAsync())
        {
            rest.Add(chunks.Current);
        }

        await chunks.DisposeAsync();
        AssertWellFormed(rest);
    }

    [Fact]
    public async Task Context_ReaderStopsWhileWaitingForText_EndsCleanly()
    {
        // The first sentence is spoken while the rest of the text has not arrived: the streamer is waiting for the
        // next segment when the reader walks away, and leaving must not fault on that pending wait.
        await using var context = bundle.Engine.CreateContext("en", sampling: new SamplingOptions { Seed = 2 });
        context.AppendText("The first sentence is complete. And then");
        var chunks = 0;
        await foreach (var chunk in context.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            chunks++;
            if (chunk.Samples.Length > 0)
            {
                break;
            }
        }

        Assert.Equal(1, chunks);
    }

    [Fact]
    public async Task StreamAsync_BadInput_ClearErrors()
    {
        Assert.Equal(InferenceErrorCode.EmptyText, Assert.Throws<InferenceException>(() => bundle.Engine.StreamAsync(new StreamingRequest("  ", "en"), TestContext.Current.CancellationToken)).Code);
        Assert.Equal(InferenceErrorCode.UnsupportedLanguage, Assert.Throws<InferenceException>(() => bundle.Engine.StreamAsync(new StreamingRequest("hi", "xx"), TestContext.Current.CancellationToken)).Code);
        var badOptions = new StreamingRequest("hi", "en", Streaming: new StreamingOptions { ChunkSchedule = [0] });
        var error = await Assert.ThrowsAsync<InferenceException>(() => Collect(bundle.Engine.StreamAsync(badOptions, TestContext.Current.CancellationToken)));
        Assert.Equal(InferenceErrorCode.InvalidOptions, error.Code);
    }

    private static void AssertWellFormed(List<AudioChunk> chunks)
    {
        Assert.NotEmpty(chunks);
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Sequence));
        var offset = 0L;
        foreach (var chunk in chunks)
        {
            Assert.Equal(offset, chunk.StartSample);
            Assert.Equal(24_000, chunk.SampleRate);
            offset += chunk.Samples.Length;
        }

        Assert.True(chunks[^1].IsFinal);
        Assert.All(chunks[..^1], c => Assert.False(c.IsFinal));
    }

    private static IAsyncEnumerable<Sawt.Inference.Text.Segmentation.SpeechSegment> OneSegment(string text) =>
        new[] { new Sawt.Inference.Text.Segmentation.SpeechSegment(text, 0, text.Length, Sawt.Inference.Text.Segmentation.SegmentBoundary.EndOfText) }.ToAsyncEnumerable();

    private static async Task<List<AudioChunk>> Collect(IAsyncEnumerable<AudioChunk> stream)
    {
        var chunks = new List<AudioChunk>();
        await foreach (var chunk in stream)
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    /// <summary>Relays a real generator's tokens with a delay per token, and says when generation ended.</summary>
    private sealed class SlowGenerator(ISpeechTokenGenerator inner, TimeSpan perToken) : ISpeechTokenGenerator
    {
        private volatile bool _finished;

        public bool Finished => _finished;

        public GenerationHandle Submit(GenerationRequest request, CancellationToken cancellationToken = default)
        {
            var real = inner.Submit(request, cancellationToken);
            var relay = Channel.CreateUnbounded<long>();
            var completion = Relay(real, relay.Writer, cancellationToken);
            return new GenerationHandle(real.Sequence, relay.Reader, completion);
        }

        private async Task<GenerationSummary> Relay(GenerationHandle real, ChannelWriter<long> writer, CancellationToken cancellationToken)
        {
            try
            {
                await foreach (var token in real.Tokens.ReadAllAsync(cancellationToken))
                {
                    await Task.Delay(perToken, cancellationToken);
                    await writer.WriteAsync(token, cancellationToken);
                }

                var summary = await real.Completion;
                _finished = true;
                writer.Complete();
                return summary;
            }
            catch (Exception error)
            {
                // A failed or cancelled generation (or relay) must end the reader with that error, as the scheduler's
                // own channels do; left open, the streamer would wait for tokens that never come.
                writer.TryComplete(error);
                throw;
            }
        }
    }

    /// <summary>Hands out a few real tokens for each request, then fails the generation with <paramref name="failure"/>.</summary>
    private sealed class FailingGenerator(T3BatchExecutor executor, int tokensBeforeFailure, Exception failure) : ISpeechTokenGenerator
    {
        public GenerationHandle Submit(GenerationRequest request, CancellationToken cancellationToken = default)
        {
            var sequence = executor.CreateSequence(request);
            var tokens = Channel.CreateUnbounded<long>();
            for (var i = 0; i < tokensBeforeFailure; i++)
            {
                tokens.Writer.TryWrite((i * 37) % ChatterboxConstants.SpeechCodebookSize);
            }

            tokens.Writer.TryComplete(failure);
            return new GenerationHandle(sequence, tokens.Reader, Task.FromException<GenerationSummary>(failure));
        }
    }

    /// <summary>Passes requests to the real generator and keeps every handle, so a test can wait for each to end.</summary>
    private sealed class RecordingGenerator(ISpeechTokenGenerator inner) : ISpeechTokenGenerator
    {
        private readonly List<GenerationHandle> _handles = [];

        public IReadOnlyList<GenerationHandle> Handles
        {
            get
            {
                lock (_handles)
                {
                    return [.. _handles];
                }
            }
        }

        public GenerationHandle Submit(GenerationRequest request, CancellationToken cancellationToken = default)
        {
            var handle = inner.Submit(request, cancellationToken);
            lock (_handles)
            {
                _handles.Add(handle);
            }

            return handle;
        }

        /// <summary>Completes when every handle so far has ended, however it ended (finished, cancelled or failed).</summary>
        public async Task WhenAllEndedAsync()
        {
            foreach (var handle in Handles)
            {
                await ((Task)handle.Completion).ContinueWith(static _ => { }, TestContext.Current.CancellationToken, TaskContinuationOptions.None, TaskScheduler.Default);
            }
        }
    }
}
