using System.Diagnostics;
using Sawt.Bench.Reporting;
using Sawt.Inference;
using Sawt.Inference.Bundles;
using Sawt.Inference.Decoding;
using Sawt.Inference.Generation;
using Sawt.Inference.Runtime;
using Sawt.Inference.Sampling;

namespace Sawt.Bench.Engine;

/// <summary>
/// The engine bench: for each bundle (synthetic sizes generated for the run, or <c>--model</c> directories), on CPU,
/// after a warm-up, times first token, decode steps per batch size, the same decode work as a raw ONNX Runtime loop
/// on the bundle's language model (<see cref="RawLanguageModelLoop"/>), the speech decoder and whole utterances.
/// Sampling uses the reference defaults (CFG 0.5, so every sequence is two LM rows) with fixed seeds, so repeats do
/// the same work. Progress goes to <c>log</c>.
/// </summary>
internal sealed class EngineBench(EngineBenchSettings settings, TextWriter log)
{
    private const int DecoderTokens = 100;
    private const ulong BaseSeed = 4242;
    private const int WarmUpSteps = 8;

    public async Task<EngineBenchReport> RunAsync(CancellationToken cancellationToken = default)
    {
        var bundles = new List<BundleMeasurements>();
        foreach (var choice in settings.Bundles)
        {
            bundles.Add(await RunBundleAsync(choice, cancellationToken).ConfigureAwait(false));
        }

        return new EngineBenchReport(settings, bundles);
    }

    private async Task<BundleMeasurements> RunBundleAsync(BenchBundleChoice choice, CancellationToken cancellationToken)
    {
        using var bundle = choice.Prepare(log);
        var name = choice.Name;

        var clock = Stopwatch.StartNew();
        var options = new TtsEngineOptions
        {
            Bundle = new BundleOptions { ExecutionProvider = ExecutionProviderChoice.Cpu, IntraOpThreads = settings.IntraOpThreads },
        };
        using var engine = TtsEngine.Load(bundle.Directory, options);
        _ = engine.DefaultVoice;
        var loadSeconds = clock.Elapsed.TotalSeconds;
        var description = choice.Describe(engine.Bundle);
        log.WriteLine($"[{name}] {description}: loaded and voice encoded in {loadSeconds:F1} s");

        var executor = new T3BatchExecutor(engine.Bundle);
        await WarmUpAsync(engine, executor, cancellationToken).ConfigureAwait(false);

        var firstToken = BenchTexts.Typical.Select(t => MeasureFirstToken(engine, executor, t.Language, t.Text, cancellationToken)).ToList();
        foreach (var m in firstToken)
        {
            log.WriteLine($"[{name}] first token {m.Language}: {m.Milliseconds.Median:F2} ms");
        }

        // Engine and raw loop per batch size, each warmed up by one full-length untimed run and then timed in turns, so
        // neither side profits from the other having grown ONNX Runtime's memory arena for that batch's sizes first.
        var decode = new List<DecodeMeasurement>();
        var raw = new List<RawLoopMeasurement>();
        foreach (var batch in RawLoopBatches(settings.BatchSizes))
        {
            var measureEngine = settings.BatchSizes.Contains(batch);
            var (m, r) = MeasureDecodeAndRaw(engine, executor, batch, measureEngine, cancellationToken);
            if (m is not null)
            {
                decode.Add(m);
                log.WriteLine($"[{name}] decode batch {batch}: {m.MillisecondsPerStep.Median:F2} ms/step, {1000 / m.MillisecondsPerToken.Median:F0} tokens/s, {m.StoppedEarly.Count} stopped early");
            }

            raw.Add(r);
            log.WriteLine($"[{name}] raw ORT loop batch {batch}: {r.MillisecondsPerStep.Median:F2} ms/step, {1000 / r.MillisecondsPerToken.Median:F0} tokens/s");
        }

        var decoder = MeasureDecoder(engine, cancellationToken);
        log.WriteLine($"[{name}] decoder: {decoder.Milliseconds.Median:F2} ms per {DecoderTokens} tokens");

        var utterances = new List<UtteranceMeasurement>();
        foreach (var (language, text) in BenchTexts.Typical)
        {
            var m = await MeasureUtteranceAsync(engine, language, text, cancellationToken).ConfigureAwait(false);
            utterances.Add(m);
            log.WriteLine($"[{name}] utterance {language}: {m.SpeechTokens} tokens, {m.AudioSeconds:F2} s audio, RTF {m.RealTimeFactor.Median:F3}");
        }

        return new BundleMeasurements(name, description, bundle.GenerateSeconds, loadSeconds, firstToken, decode, raw, decoder, utterances);
    }

    /// <summary>Batch 1 (the per-token goal is stated at one sequence) and every engine batch size, once each.</summary>
    internal static IReadOnlyList<int> RawLoopBatches(IReadOnlyList<int> engineBatches) => [.. engineBatches.Prepend(1).Distinct().Order()];

    /// <summary>One pass over every code path and shape family timed later, so first-run allocations are not timed.</summary>
    private async Task WarmUpAsync(TtsEngine engine, T3BatchExecutor executor, CancellationToken cancellationToken)
    {
        var (language, text) = BenchTexts.Typical[0];
        await engine.SynthesizeAsync(new SynthesisRequest(text, language, Sampling: Sampling(BaseSeed)), cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var batch in settings.BatchSizes)
        {
            var sequences = CreateLongSequences(engine, executor, batch, BaseSeed);
            executor.Prefill(sequences, cancellationToken);
            for (var s = 0; s < Math.Min(WarmUpSteps, settings.Steps); s++)
            {
                executor.Step(sequences, cancellationToken);
            }
        }
    }

    private FirstTokenMeasurement MeasureFirstToken(TtsEngine engine, T3BatchExecutor executor, string language, string text, CancellationToken cancellationToken)
    {
        var tokenized = engine.Tokenizer.Encode(text, language);
        var samples = new List<double>();
        T3Sequence? last = null;
        for (var r = 0; r < settings.Repeat; r++)
        {
            var sequence = executor.CreateSequence(new GenerationRequest(tokenized, engine.DefaultVoice, Sampling(BaseSeed + (ulong)r)));
            Settle();
            var clock = Stopwatch.StartNew();
            executor.Prefill([sequence], cancellationToken);
            samples.Add(clock.Elapsed.TotalMilliseconds);
            last = sequence;
        }

        var positions = last!.Voice.ConditioningLength + tokenized.Ids.Length;
        return new FirstTokenMeasurement(language, text.Length, tokenized.TextIdCount, positions, last.Rows, Summary.From(samples));
    }

    private (DecodeMeasurement? Engine, RawLoopMeasurement Raw) MeasureDecodeAndRaw(TtsEngine engine, T3BatchExecutor executor, int batch, bool measureEngine, CancellationToken cancellationToken)
    {
        var shape = CreateLongSequences(engine, executor, batch, BaseSeed);
        var rows = shape.Sum(s => s.Rows);
        var prefillLength = shape.Max(s => s.Voice.ConditioningLength + s.Text.Ids.Length);
        using var loop = new RawLanguageModelLoop(engine.Bundle, rows, prefillLength, settings.Steps, BaseSeed + (ulong)batch);
        if (measureEngine)
        {
            RunEngineOnce(engine, executor, batch, BaseSeed + 999_999, cancellationToken);
        }

        RunRawOnce(loop, cancellationToken);
        var engineRuns = new List<EngineRun>();
        var rawRuns = new List<RawRun>();
        for (var r = 0; r < settings.Repeat; r++)
        {
            if (measureEngine)
            {
                engineRuns.Add(RunEngineOnce(engine, executor, batch, BaseSeed + (ulong)(r * 1000), cancellationToken));
            }

            rawRuns.Add(RunRawOnce(loop, cancellationToken));
        }

        var rawMeasurement = new RawLoopMeasurement(
            batch,
            rows,
            prefillLength,
            Summary.From(rawRuns.Select(x => x.PrefillMs)),
            Summary.From(rawRuns.Select(x => x.MsPerStep)),
            Summary.From(rawRuns.Select(x => x.EarlyMs)),
            Summary.From(rawRuns.Select(x => x.LateMs)),
            Summary.From(rawRuns.Select(x => x.MsPerStep / batch)));
        if (!measureEngine)
        {
            return (null, rawMeasurement);
        }

        var engineMeasurement = new DecodeMeasurement(
            batch,
            rows,
            Summary.From(engineRuns.Select(x => x.PrefillMs)),
            Summary.From(engineRuns.Select(x => x.MsPerStep)),
            Summary.From(engineRuns.Select(x => x.EarlyMs)),
            Summary.From(engineRuns.Select(x => x.LateMs)),
            Summary.From(engineRuns.Select(x => x.MsPerToken)),
            [.. engineRuns.SelectMany(x => x.Stopped)],
            batch * settings.Repeat);
        return (engineMeasurement, rawMeasurement);
    }

    /// <summary>One engine run: batched prefill (timed on its own), then the bench's steps, timed one by one.</summary>
    private EngineRun RunEngineOnce(TtsEngine engine, T3BatchExecutor executor, int batch, ulong seed, CancellationToken cancellationToken)
    {
        var sequences = CreateLongSequences(engine, executor, batch, seed);
        Settle();
        var clock = Stopwatch.StartNew();
        executor.Prefill(sequences, cancellationToken);
        var prefill = clock.Elapsed.TotalMilliseconds;

        var before = sequences.Sum(s => s.Tokens.Count);
        var stepTimes = new double[settings.Steps];
        clock.Restart();
        for (var s = 0; s < settings.Steps; s++)
        {
            var start = clock.Elapsed;
            executor.Step(sequences, cancellationToken);
            stepTimes[s] = (clock.Elapsed - start).TotalMilliseconds;
        }

        var elapsed = clock.Elapsed.TotalMilliseconds;
        var produced = sequences.Sum(s => s.Tokens.Count) - before;
        var window = Math.Max(1, settings.Steps / 8);
        var stopped = sequences.Where(s => s.IsFinished).Select(s => s.StopReason).ToList();
        foreach (var sequence in sequences)
        {
            executor.Release(sequence);
        }

        return new EngineRun(prefill, elapsed / settings.Steps, stepTimes.Take(window).Average(), stepTimes.TakeLast(window).Average(), produced > 0 ? elapsed / produced : double.PositiveInfinity, stopped);
    }

    /// <summary>One raw-loop run: prefill (timed on its own), then the bench's steps, timed one by one.</summary>
    private RawRun RunRawOnce(RawLanguageModelLoop loop, CancellationToken cancellationToken)
    {
        Settle();
        var clock = Stopwatch.StartNew();
        loop.Prefill(cancellationToken);
        var prefill = clock.Elapsed.TotalMilliseconds;
        var stepTimes = new double[settings.Steps];
        clock.Restart();
        for (var s = 0; s < settings.Steps; s++)
        {
            var start = clock.Elapsed;
            loop.Step(cancellationToken);
            stepTimes[s] = (clock.Elapsed - start).TotalMilliseconds;
        }

        var window = Math.Max(1, settings.Steps / 8);
        return new RawRun(prefill, clock.Elapsed.TotalMilliseconds / settings.Steps, stepTimes.Take(window).Average(), stepTimes.TakeLast(window).Average());
    }

    private sealed record EngineRun(double PrefillMs, double MsPerStep, double EarlyMs, double LateMs, double MsPerToken, List<StopReason> Stopped);

    private sealed record RawRun(double PrefillMs, double MsPerStep, double EarlyMs, double LateMs);

    private DecoderMeasurement MeasureDecoder(TtsEngine engine, CancellationToken cancellationToken)
    {
        var decoder = new SpeechDecoder(engine.Bundle);
        var voice = engine.DefaultVoice;

        // A deterministic spread of codebook ids; the decoder's cost does not depend on which ids they are.
        var tokens = Enumerable.Range(0, DecoderTokens).Select(i => (long)((i * 977) % ChatterboxConstants.SpeechCodebookSize)).ToArray();
        decoder.Decode(voice, tokens, cancellationToken);
        var samples = new List<double>();
        for (var r = 0; r < settings.Repeat; r++)
        {
            Settle();
            var clock = Stopwatch.StartNew();
            decoder.Decode(voice, tokens, cancellationToken);
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }

        return new DecoderMeasurement(DecoderTokens, voice.PromptTokens.Length, Summary.From(samples));
    }

    private async Task<UtteranceMeasurement> MeasureUtteranceAsync(TtsEngine engine, string language, string text, CancellationToken cancellationToken)
    {
        var results = new List<SynthesisResult>();
        for (var r = 0; r < settings.Repeat; r++)
        {
            Settle();

            // Same seed every repeat: the same tokens, so the repeats time the same work.
            var request = new SynthesisRequest(text, language, Sampling: Sampling(BaseSeed));
            results.Add(await engine.SynthesizeAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false));
        }

        var first = results[0];
        return new UtteranceMeasurement(
            language,
            text.Length,
            first.SpeechTokens.Length,
            first.AudioDuration.TotalSeconds,
            first.StopReason,
            Summary.From(results.Select(x => x.TimeToFirstToken.TotalMilliseconds)),
            Summary.From(results.Select(x => x.GenerationTime.TotalMilliseconds)),
            Summary.From(results.Select(x => x.DecodeTime.TotalMilliseconds)),
            Summary.From(results.Select(x => x.RealTimeFactor)));
    }

    /// <summary>Sequences over the long texts, alternating languages, each with its own seed.</summary>
    private static List<T3Sequence> CreateLongSequences(TtsEngine engine, T3BatchExecutor executor, int batch, ulong seed)
    {
        var sequences = new List<T3Sequence>(batch);
        for (var i = 0; i < batch; i++)
        {
            var (language, text) = BenchTexts.Long[i % BenchTexts.Long.Count];
            var tokenized = engine.Tokenizer.Encode(text, language);
            sequences.Add(executor.CreateSequence(new GenerationRequest(tokenized, engine.DefaultVoice, Sampling(seed + (ulong)i))));
        }

        return sequences;
    }

    /// <summary>Reference defaults with a fixed seed and a high token cap, so only STOP or the repetition guard end a sequence.</summary>
    private static SamplingOptions Sampling(ulong seed) => new() { Seed = seed, MaxNewTokens = SamplingOptions.MaxNewTokensLimit };

    /// <summary>Collect garbage between timed runs so a collection caused by one run is not charged to the next.</summary>
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
