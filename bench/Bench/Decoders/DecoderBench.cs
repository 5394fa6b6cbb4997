using System.Diagnostics;
using Sawt.Bench.Reporting;
using Sawt.Inference;
using Sawt.Inference.Decoding;
using Sawt.Inference.Runtime;
using Sawt.Inference.Synthetic;

namespace Sawt.Bench.Decoders;

/// <summary>
/// Decoder stages on one synthetic bundle carrying every schedule (n4, n6, n10 flow matching, a MeanFlow plain file):
/// the time of one chunk per variant, then many sessions' chunks through a <see cref="DecoderBatcher"/> with batches of
/// one row (unbatched) and of up to <see cref="DecoderBenchSettings.MaxBatchSize"/> rows, side by side.
/// </summary>
internal sealed class DecoderBench(DecoderBenchSettings settings, TextWriter log)
{
    private static readonly string[] Variants = ["n6", "n4", "n10", "fp32"];

    public async Task<DecoderBenchReport> RunAsync(CancellationToken cancellationToken = default)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"sawt-bench-decoders-{Guid.NewGuid():N}");
        log.WriteLine($"Generating a bundle with every decoder schedule into {directory}");
        SyntheticBundleGenerator.Generate(directory, SyntheticBundleOptions.Tiny with
        {
            DecoderFiles = SyntheticDecoderFile.AllSchedules,
            DecoderChannels = 80,
            DecoderHiddenSize = settings.DecoderHiddenSize,
        });
        try
        {
            await using var engine = TtsEngine.Load(directory, new TtsEngineOptions
            {
                Bundle = new() { ExecutionProvider = ExecutionProviderChoice.Cpu, IntraOpThreads = settings.IntraOpThreads, DecoderVariants = Variants },
            });
            var voice = engine.DefaultVoice;
            var steps = MeasureSteps(engine.Decoder, voice, cancellationToken);
            var batching = new List<DecoderBatchRow>();
            foreach (var sessions in settings.Sessions)
            {
                var unbatched = await MeasureSessionsAsync(engine, sessions, 1, cancellationToken).ConfigureAwait(false);
                var batched = await MeasureSessionsAsync(engine, sessions, settings.MaxBatchSize, cancellationToken).ConfigureAwait(false);
                batching.Add(new DecoderBatchRow(sessions, unbatched, batched));
                log.WriteLine($"{sessions} sessions: unbatched {unbatched.RoundMs.Median:F0} ms, batched {batched.RoundMs.Median:F0} ms per round ({batched.MeanRowsPerCall:F1} rows per call)");
            }

            return new DecoderBenchReport(settings, voice.PromptTokens.Length, voice.FeatureFrames, steps, batching);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private List<DecoderStepRow> MeasureSteps(SpeechDecoder decoder, Inference.Voices.VoiceConditionals voice, CancellationToken cancellationToken)
    {
        var rows = new List<DecoderStepRow>();
        var tokens = Chunk(0);
        foreach (var variant in decoder.Variants.OrderBy(v => v.Schedule.EstimatorCalls))
        {
            decoder.Decode(voice, tokens, variant, cancellationToken); // untimed: first-call allocations
            var times = new List<double>(settings.Repeat);
            for (var r = 0; r < settings.Repeat; r++)
            {
                var clock = Stopwatch.StartNew();
                decoder.Decode(voice, tokens, variant, cancellationToken);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }

            rows.Add(new DecoderStepRow(variant.Variant, variant.Schedule.Label, variant.Schedule.Steps, variant.Schedule.EstimatorCalls, Summary.From(times)));
            log.WriteLine($"{variant}: {rows[^1].MsPerChunk.Median:F1} ms per chunk");
        }

        return rows;
    }

    /// <summary>
    /// <paramref name="sessions"/> sessions at once, each decoding its chunks one after another with the default variant,
    /// through a batcher of <paramref name="batchSize"/> rows per call; one untimed round, then the timed ones.
    /// </summary>
    private async Task<DecoderModeResult> MeasureSessionsAsync(TtsEngine engine, int sessions, int batchSize, CancellationToken cancellationToken)
    {
        await using var batcher = new DecoderBatcher(engine.Decoder, new DecoderBatchingOptions
        {
            MaxBatchSize = batchSize,
            MaxBatchWait = batchSize == 1 ? TimeSpan.Zero : settings.MaxBatchWait,
            MaxConcurrentBatches = settings.MaxConcurrentCalls,
            MaxQueuedRows = 2 * sessions,
        });
        await RoundAsync(batcher, engine, sessions, [], cancellationToken).ConfigureAwait(false);
        var before = batcher.Load;
        var rounds = new List<double>();
        var latencies = new List<double>();
        for (var r = 0; r < settings.Rounds; r++)
        {
            var clock = Stopwatch.StartNew();
            await RoundAsync(batcher, engine, sessions, latencies, cancellationToken).ConfigureAwait(false);
            rounds.Add(clock.Elapsed.TotalMilliseconds);
        }

        var after = batcher.Load;
        var chunks = (double)sessions * settings.ChunksPerSession * settings.Rounds;
        var calls = after.Batches - before.Batches;
        return new DecoderModeResult(
            Summary.From(rounds),
            chunks / (rounds.Sum() / 1000),
            Summary.From(latencies.Count > 0 ? latencies : [0]),
            calls == 0 ? 0 : (double)(after.Rows - before.Rows) / calls);
    }

    private async Task RoundAsync(DecoderBatcher batcher, TtsEngine engine, int sessions, List<double> latencies, CancellationToken cancellationToken)
    {
        var voice = engine.DefaultVoice;
        var decoder = engine.Decoder.Default;
        async Task Session(int index)
        {
            for (var c = 0; c < settings.ChunksPerSession; c++)
            {
                var clock = Stopwatch.StartNew();
                await batcher.DecodeAsync(voice, Chunk((index * settings.ChunksPerSession) + c), decoder, cancellationToken).ConfigureAwait(false);
                lock (latencies)
                {
                    latencies.Add(clock.Elapsed.TotalMilliseconds);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, sessions).Select(i => Task.Run(() => Session(i), cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>A chunk of the bench's length with tokens that differ per chunk (the shape, not the values, decides batching).</summary>
    private long[] Chunk(int index) => [.. Enumerable.Range(0, settings.ChunkTokens).Select(i => (long)(((index * 131) + (i * 977)) % ChatterboxConstants.SpeechCodebookSize))];
}
