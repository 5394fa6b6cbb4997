using System.Diagnostics;
using Sawt.Bench.Engine;
using Sawt.Bench.Reporting;
using Sawt.Inference;
using Sawt.Inference.Bundles;
using Sawt.Inference.Runtime;
using Sawt.Inference.Sampling;
using Sawt.Inference.Streaming;
using Sawt.Inference.Text.Segmentation;

namespace Sawt.Bench.Streaming;

/// <summary>
/// The streaming bench: for each bundle (synthetic sizes generated for the run, or <c>--model</c> directories), on CPU, after a warm-up, streams two-sentence replies in
/// English and Arabic with each chunk schedule and times what a listener hears (first audio, gaps, stalls), against
/// the same text in one <c>SynthesizeAsync</c> call; measures seams of the default schedule; and times the first
/// audio when the text itself arrives in small pieces (an LLM's output). Every run uses the same seed, so repeats do
/// the same work. Progress goes to <c>log</c>.
/// </summary>
internal sealed class StreamingBench(StreamingBenchSettings settings, TextWriter log)
{
    private const ulong BaseSeed = 4242;
    private const string WarmUpText = "Good morning.";

    public async Task<StreamingBenchReport> RunAsync(CancellationToken cancellationToken = default)
    {
        var bundles = new List<StreamingBundleMeasurements>();
        foreach (var choice in settings.Bundles)
        {
            bundles.Add(await RunBundleAsync(choice, cancellationToken).ConfigureAwait(false));
        }

        return new StreamingBenchReport(settings, bundles);
    }

    private async Task<StreamingBundleMeasurements> RunBundleAsync(BenchBundleChoice choice, CancellationToken cancellationToken)
    {
        using var bundle = choice.Prepare(log);
        var name = choice.Name;

        var clock = Stopwatch.StartNew();
        var options = new TtsEngineOptions
        {
            Bundle = new BundleOptions { ExecutionProvider = ExecutionProviderChoice.Cpu, IntraOpThreads = settings.IntraOpThreads },
        };
        await using var engine = TtsEngine.Load(bundle.Directory, options);
        _ = engine.DefaultVoice;
        var loadSeconds = clock.Elapsed.TotalSeconds;
        var description = choice.Describe(engine.Bundle);
        log.WriteLine($"[{name}] {description}: loaded and voice encoded in {loadSeconds:F1} s");

        await WarmUpAsync(engine, cancellationToken).ConfigureAwait(false);

        var schedules = new List<ScheduleMeasurement>();
        var oneCall = new List<OneCallMeasurement>();
        var seams = new List<SeamMeasurement>();
        var incremental = new List<IncrementalMeasurement>();
        foreach (var (language, text) in BenchTexts.TwoSentences)
        {
            foreach (var schedule in settings.Schedules)
            {
                var m = await MeasureScheduleAsync(engine, language, text, schedule, cancellationToken).ConfigureAwait(false);
                schedules.Add(m);
                log.WriteLine($"[{name}] stream {language} {StreamingBenchSettings.Describe(schedule)}: first audio {m.FirstAudioMilliseconds.Median:F0} ms, " +
                    $"{m.Chunks} chunks, {m.Stalls.Median:F0} stalls, RTF {m.RealTimeFactor.Median:F3}");
            }

            var whole = await MeasureOneCallAsync(engine, language, text, cancellationToken).ConfigureAwait(false);
            oneCall.Add(whole);
            log.WriteLine($"[{name}] one call {language}: whole audio after {whole.WallMilliseconds.Median:F0} ms, RTF {whole.RealTimeFactor.Median:F3}");

            var seam = await MeasureSeamsAsync(engine, language, text, cancellationToken).ConfigureAwait(false);
            seams.Add(seam);
            log.WriteLine($"[{name}] seams {language}: {seam.Report?.ToString() ?? seam.Note}");

            var pieces = await MeasureIncrementalAsync(engine, language, text, cancellationToken).ConfigureAwait(false);
            incremental.Add(pieces);
            log.WriteLine($"[{name}] incremental {language}: first audio {pieces.FirstAudioMilliseconds.Median:F0} ms (first segment arrives at {pieces.FirstSegmentArrivesMilliseconds:F0} ms)");
        }

        return new StreamingBundleMeasurements(name, description, bundle.GenerateSeconds, loadSeconds, schedules, oneCall, seams, incremental);
    }

    /// <summary>
    /// One pass over each code path timed later: every bench text streamed whole (so the KV cache lengths and tensor
    /// shapes of the timed runs have been seen; a short text alone left the first timed row several times slower), then
    /// a short text in one call and through an incremental context.
    /// </summary>
    private async Task WarmUpAsync(TtsEngine engine, CancellationToken cancellationToken)
    {
        foreach (var (language, text) in BenchTexts.TwoSentences)
        {
            await foreach (var _ in engine.StreamAsync(new StreamingRequest(text, language, Sampling: Sampling()), cancellationToken).ConfigureAwait(false))
            {
            }
        }

        await engine.SynthesizeAsync(new SynthesisRequest(WarmUpText, "en", Sampling: Sampling()), cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var context = engine.CreateContext("en", sampling: Sampling());
        context.AppendText(WarmUpText);
        context.Complete();
        await foreach (var _ in context.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
        }
    }

    private async Task<ScheduleMeasurement> MeasureScheduleAsync(TtsEngine engine, string language, string text, IReadOnlyList<int> schedule, CancellationToken cancellationToken)
    {
        var streaming = new StreamingOptions { ChunkSchedule = schedule };
        var runs = new List<StreamRun>();
        for (var r = 0; r < settings.Repeat; r++)
        {
            Settle();
            runs.Add(await StreamOnceAsync(engine, new StreamingRequest(text, language, Sampling: Sampling(), Streaming: streaming), cancellationToken).ConfigureAwait(false));
        }

        var first = runs[0];
        return new ScheduleMeasurement(
            language,
            schedule,
            first.Segments,
            first.Chunks,
            first.SpeechTokens,
            first.AudioSeconds,
            Summary.From(runs.Select(x => x.FirstAudioMilliseconds)),
            Summary.From(runs.Select(x => x.MeanGapMilliseconds)),
            Summary.From(runs.Select(x => x.MaxGapMilliseconds)),
            Summary.From(runs.Select(x => x.MaxGapRatio)),
            Summary.From(runs.Select(x => (double)x.Stalls)),
            Summary.From(runs.Select(x => x.StallMilliseconds)),
            Summary.From(runs.Select(x => x.WallMilliseconds)),
            Summary.From(runs.Select(x => x.WallMilliseconds / 1000 / x.AudioSeconds)),
            Summary.From(runs.Select(x => x.DecodeMilliseconds / x.WallMilliseconds)));
    }

    /// <summary>Streams once and replays the arrivals against a player that starts at the first audio.</summary>
    private static async Task<StreamRun> StreamOnceAsync(TtsEngine engine, StreamingRequest request, CancellationToken cancellationToken)
    {
        var arrivals = new List<(double At, double Seconds)>();
        var segments = new HashSet<int>();
        double decodeMs = 0;
        var tokens = 0;
        var samples = 0L;
        var clock = Stopwatch.StartNew();
        await foreach (var chunk in engine.StreamAsync(request, cancellationToken).ConfigureAwait(false))
        {
            var at = clock.Elapsed.TotalMilliseconds;
            decodeMs += chunk.Timings.DecodeTime.TotalMilliseconds;
            tokens += chunk.TokenCount;
            if (chunk.Samples.Length > 0)
            {
                arrivals.Add((at, chunk.Duration.TotalSeconds));
                segments.Add(chunk.SegmentIndex);
                samples += chunk.Samples.Length;
            }
        }

        var wall = clock.Elapsed.TotalMilliseconds;
        if (arrivals.Count == 0)
        {
            throw new InvalidOperationException($"The stream of '{request.Text}' carried no audio.");
        }

        double gapSum = 0, maxGap = 0, maxRatio = 0, stallMs = 0;
        var stalls = 0;
        var playedUntil = arrivals[0].At + (arrivals[0].Seconds * 1000);
        for (var k = 1; k < arrivals.Count; k++)
        {
            var gap = arrivals[k].At - arrivals[k - 1].At;
            gapSum += gap;
            maxGap = Math.Max(maxGap, gap);
            maxRatio = Math.Max(maxRatio, gap / (arrivals[k - 1].Seconds * 1000));
            if (arrivals[k].At > playedUntil)
            {
                stalls++;
                stallMs += arrivals[k].At - playedUntil;
                playedUntil = arrivals[k].At;
            }

            playedUntil += arrivals[k].Seconds * 1000;
        }

        var gaps = arrivals.Count - 1;
        return new StreamRun(
            segments.Count,
            arrivals.Count,
            tokens,
            (double)samples / ChatterboxConstants.SampleRate,
            arrivals[0].At,
            gaps > 0 ? gapSum / gaps : 0,
            maxGap,
            maxRatio,
            stalls,
            stallMs,
            wall,
            decodeMs);
    }

    private async Task<OneCallMeasurement> MeasureOneCallAsync(TtsEngine engine, string language, string text, CancellationToken cancellationToken)
    {
        var walls = new List<double>();
        SynthesisResult? result = null;
        for (var r = 0; r < settings.Repeat; r++)
        {
            Settle();
            var clock = Stopwatch.StartNew();
            result = await engine.SynthesizeAsync(new SynthesisRequest(text, language, Sampling: Sampling()), cancellationToken: cancellationToken).ConfigureAwait(false);
            walls.Add(clock.Elapsed.TotalMilliseconds);
        }

        var audioSeconds = result!.AudioDuration.TotalSeconds;
        return new OneCallMeasurement(language, result.SpeechTokens.Length, audioSeconds, Summary.From(walls), Summary.From(walls.Select(w => w / 1000 / audioSeconds)));
    }

    /// <summary>
    /// The default-schedule stream against each of its sentences synthesized alone with the same seed and joined,
    /// which is exactly what the stream generates (one sequence per sentence, each with the request's sampling).
    /// </summary>
    private static async Task<SeamMeasurement> MeasureSeamsAsync(TtsEngine engine, string language, string text, CancellationToken cancellationToken)
    {
        var streaming = new StreamingOptions { ChunkSchedule = StreamingBenchSettings.DefaultSchedule };
        var chunks = new List<AudioChunk>();
        await foreach (var chunk in engine.StreamAsync(new StreamingRequest(text, language, Sampling: Sampling(), Streaming: streaming), cancellationToken).ConfigureAwait(false))
        {
            chunks.Add(chunk);
        }

        var reference = new List<float>();
        foreach (var segment in new TextSegmenter().Segment(text, language))
        {
            var result = await engine.SynthesizeAsync(new SynthesisRequest(segment.Text, language, Sampling: Sampling()), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (reference.Count > 0)
            {
                reference.AddRange(new float[streaming.PauseSamples]);
            }

            reference.AddRange(result.Audio);
        }

        var streamed = chunks.SelectMany(c => c.Samples).ToArray();
        if (streamed.Length != reference.Count)
        {
            return new SeamMeasurement(language, null, $"streamed {streamed.Length} samples, reference {reference.Count}: not comparable");
        }

        var seams = chunks.Where(c => c.Samples.Length > 0).Skip(1).Select(c => c.StartSample).Where(s => s > 0 && s < streamed.Length).ToList();
        return new SeamMeasurement(language, SeamQuality.Measure(streamed, reference.ToArray(), seams), null);
    }

    /// <summary>
    /// Feeds the text in <see cref="StreamingBenchSettings.PieceChars"/>-character pieces every
    /// <see cref="StreamingBenchSettings.PieceInterval"/> into a context and times the first audio from the first piece;
    /// the stream is abandoned after it (which cancels the rest of the generation).
    /// </summary>
    private async Task<IncrementalMeasurement> MeasureIncrementalAsync(TtsEngine engine, string language, string text, CancellationToken cancellationToken)
    {
        var pieces = Enumerable.Range(0, (text.Length + settings.PieceChars - 1) / settings.PieceChars)
            .Select(i => text.Substring(i * settings.PieceChars, Math.Min(settings.PieceChars, text.Length - (i * settings.PieceChars))))
            .ToArray();
        var interval = settings.PieceInterval.TotalMilliseconds;
        var firstSegmentPiece = FirstSpeakablePiece(pieces, language);
        var samples = new List<double>();
        for (var r = 0; r < settings.Repeat; r++)
        {
            Settle();
            samples.Add(await IncrementalOnceAsync(engine, language, pieces, cancellationToken).ConfigureAwait(false));
        }

        return new IncrementalMeasurement(language, pieces.Length, (pieces.Length - 1) * interval, firstSegmentPiece * interval, Summary.From(samples));
    }

    private async Task<double> IncrementalOnceAsync(TtsEngine engine, string language, string[] pieces, CancellationToken cancellationToken)
    {
        await using var context = engine.CreateContext(language, sampling: Sampling());
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();
        var feeder = FeedAsync(context, pieces, clock, stop.Token);
        double? firstAudio = null;
        try
        {
            await foreach (var chunk in context.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (chunk.Samples.Length > 0)
                {
                    firstAudio = clock.Elapsed.TotalMilliseconds;
                    break;
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await feeder.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The feeder is stopped once the first audio is in; the rest of the text is not needed.
            }
        }

        return firstAudio ?? throw new InvalidOperationException("The incremental stream carried no audio.");
    }

    /// <summary>Appends piece i at i x interval after the clock started (not drifting with the delays' overshoot).</summary>
    private async Task FeedAsync(SynthesisContext context, string[] pieces, Stopwatch clock, CancellationToken cancellationToken)
    {
        for (var i = 0; i < pieces.Length; i++)
        {
            var due = TimeSpan.FromTicks(settings.PieceInterval.Ticks * i) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken).ConfigureAwait(false);
            }

            context.AppendText(pieces[i]);
        }

        context.Complete();
    }

    /// <summary>Index of the piece after which the streaming text buffer first has a segment to speak.</summary>
    private static int FirstSpeakablePiece(string[] pieces, string language)
    {
        var buffer = new IncrementalTextBuffer(language);
        for (var i = 0; i < pieces.Length; i++)
        {
            buffer.Append(pieces[i]);
            if (buffer.TakeReady().Count > 0)
            {
                return i;
            }
        }

        return pieces.Length - 1;
    }

    /// <summary>Reference defaults with a fixed seed and a high token cap, so only STOP or the repetition guard end a sequence.</summary>
    private static SamplingOptions Sampling() => new() { Seed = BaseSeed, MaxNewTokens = SamplingOptions.MaxNewTokensLimit };

    /// <summary>Collect garbage between timed runs so a collection caused by one run is not charged to the next.</summary>
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private sealed record StreamRun(
        int Segments,
        int Chunks,
        int SpeechTokens,
        double AudioSeconds,
        double FirstAudioMilliseconds,
        double MeanGapMilliseconds,
        double MaxGapMilliseconds,
        double MaxGapRatio,
        int Stalls,
        double StallMilliseconds,
        double WallMilliseconds,
        double DecodeMilliseconds);
}
