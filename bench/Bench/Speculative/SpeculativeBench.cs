using System.Diagnostics;
using Sawt.Bench.Engine;
using Sawt.Inference;
using Sawt.Inference.Generation;
using Sawt.Inference.Runtime;
using Sawt.Inference.Sampling;
using Sawt.Inference.Synthetic;

namespace Sawt.Bench.Speculative;

/// <summary>
/// Speculative decoding against plain decoding on synthetic target/draft pairs of one size, per draft agreement
/// (<see cref="SyntheticBundleOptions.DraftAgreement"/>) and batch size, in one run. The synthetic draft is as large as
/// its target, so its wall-clock speed-up is a floor: a real <c>_q4</c> draft costs a fraction of an fp32 target step.
/// </summary>
internal sealed class SpeculativeBench(SpeculativeBenchSettings settings, TextWriter log)
{
    private const ulong BaseSeed = 7070;

    public async Task<SpeculativeBenchReport> RunAsync(CancellationToken cancellationToken = default)
    {
        var rows = new List<SpeculativeRow>();
        foreach (var agreement in settings.Agreements)
        {
            var directory = Path.Combine(Path.GetTempPath(), $"sawt-bench-speculative-{Guid.NewGuid():N}");
            log.WriteLine($"[{settings.Size.Name}] draft agreement {agreement}: generating into {directory}");
            SyntheticBundleGenerator.Generate(directory, settings.Size.Options with { DraftAgreement = agreement, DraftLayers = settings.DraftLayers });
            try
            {
                await using var engine = TtsEngine.Load(directory, new TtsEngineOptions
                {
                    Bundle = new() { ExecutionProvider = ExecutionProviderChoice.Cpu, IntraOpThreads = settings.IntraOpThreads },
                });
                var plain = new T3BatchExecutor(engine.Bundle);
                var speculative = new T3BatchExecutor(engine.Bundle, new SpeculativeOptions { Enabled = true, MaxDraftTokens = settings.MaxDraftTokens });
                foreach (var batch in settings.BatchSizes)
                {
                    rows.Add(Measure(engine, plain, speculative, agreement, batch, cancellationToken));
                    log.WriteLine($"[{settings.Size.Name}] agreement {agreement}, batch {batch}: speed-up {rows[^1].SpeedUp:F2}x, acceptance {rows[^1].Acceptance:P0}");
                }
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        return new SpeculativeBenchReport(settings, rows);
    }

    private SpeculativeRow Measure(TtsEngine engine, T3BatchExecutor plain, T3BatchExecutor speculative, double agreement, int batch, CancellationToken cancellationToken)
    {
        var plainTimes = new List<double>();
        var speculativeTimes = new List<double>();
        var (verified, accepted, rounds, tokens) = (0, 0, 0, 0);
        bool? same = settings.Temperature == 0f ? true : null;
        // One untimed full-length run of each at this batch size, so neither is timed while ONNX Runtime's memory grows.
        Run(engine, plain, batch, BaseSeed + 999_999, cancellationToken);
        Run(engine, speculative, batch, BaseSeed + 999_999, cancellationToken);
        for (var r = 0; r < settings.Repeat; r++)
        {
            var seed = BaseSeed + (ulong)(r * 1000);
            var (plainMs, plainSequences, _) = Run(engine, plain, batch, seed, cancellationToken);
            var (speculativeMs, speculativeSequences, _) = Run(engine, speculative, batch, seed, cancellationToken);
            plainTimes.Add(plainMs);
            speculativeTimes.Add(speculativeMs);
            foreach (var sequence in speculativeSequences)
            {
                var state = sequence.Speculation!;
                verified += state.Drafted;
                accepted += state.Accepted;
                rounds += state.Rounds;
            }

            tokens += speculativeSequences.Sum(s => s.Tokens.Count - 1);
            if (same is true)
            {
                same = plainSequences.Zip(speculativeSequences).All(p => p.First.Tokens.SequenceEqual(p.Second.Tokens.Take(p.First.Tokens.Count)));
            }
        }

        return new SpeculativeRow(
            agreement,
            batch,
            Reporting.Summary.From(plainTimes),
            Reporting.Summary.From(speculativeTimes),
            verified == 0 ? 0 : (double)accepted / verified,
            rounds == 0 ? 0 : (double)tokens / rounds,
            rounds == 0 ? 0 : (double)verified / rounds,
            same);
    }

    /// <summary>Prefill (untimed), then steps until each sequence has the bench's tokens or stopped; ms per generated token.</summary>
    private (double MsPerToken, List<T3Sequence> Sequences, int Steps) Run(TtsEngine engine, T3BatchExecutor executor, int batch, ulong seed, CancellationToken cancellationToken)
    {
        var sequences = new List<T3Sequence>(batch);
        for (var i = 0; i < batch; i++)
        {
            var (language, text) = BenchTexts.Long[i % BenchTexts.Long.Count];
            sequences.Add(executor.CreateSequence(new GenerationRequest(
                engine.Tokenizer.Encode(text, language),
                engine.DefaultVoice,
                new SamplingOptions { Seed = seed + (ulong)i, Temperature = settings.Temperature, MaxNewTokens = SamplingOptions.MaxNewTokensLimit })));
        }

        executor.Prefill(sequences, cancellationToken);
        var before = sequences.Sum(s => s.Tokens.Count);
        GC.Collect();
        var clock = Stopwatch.StartNew();
        var steps = 0;
        while (true)
        {
            var running = sequences.Where(s => !s.IsFinished && s.Tokens.Count <= settings.Tokens).ToList();
            if (running.Count == 0)
            {
                break;
            }

            executor.Step(running, cancellationToken);
            steps++;
        }

        var elapsed = clock.Elapsed.TotalMilliseconds;
        var produced = sequences.Sum(s => s.Tokens.Count) - before;
        foreach (var sequence in sequences)
        {
            executor.Release(sequence);
        }

        return (produced > 0 ? elapsed / produced : double.PositiveInfinity, sequences, steps);
    }
}
