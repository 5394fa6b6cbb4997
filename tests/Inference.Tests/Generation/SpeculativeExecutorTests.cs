using Sawt.Inference.Generation;
using Sawt.Inference.Sampling;
using Sawt.Inference.Tests.Sampling;

namespace Sawt.Inference.Tests.Generation;

/// <summary>
/// Speculative decoding inside the batch executor, on synthetic target/draft pairs: greedy output identical to plain
/// decoding, sampled output distributed identically (a two-sample chi-square over seeded runs), and both caches
/// rewound exactly to the accepted tokens.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SpeculativeExecutorTests(TinyBundleFixture tiny, DraftBundlesFixture drafts) : IClassFixture<DraftBundlesFixture>
{
    private const int DraftTokens = 4;

    private static readonly SpeculativeOptions Speculate = new() { Enabled = true, MaxDraftTokens = DraftTokens, MinDraftTokens = 1 };

    private static readonly (string Text, string Language, float CfgWeight)[] Texts =
    [
        ("A first sentence that runs for a while before it stops.", "en", 0.5f),
        ("Short.", "en", 0f),
        ("مرحبا بكم في سوت، هذه جملة عربية.", "ar", 0.5f),
    ];

    [Theory]
    [InlineData(1.0)]
    [InlineData(DraftBundlesFixture.PartialAgreement)]
    public void Greedy_WithJoinAndLeave_SameTokensAsPlainDecoding(double agreement)
    {
        var engine = agreement == 1.0 ? drafts.Identical : drafts.Partial;
        var plain = Run(new T3BatchExecutor(engine.Bundle), engine, temperature: 0f, seed: 5);
        var speculative = Run(new T3BatchExecutor(engine.Bundle, Speculate), engine, temperature: 0f, seed: 5);

        for (var i = 0; i < Texts.Length; i++)
        {
            Assert.Equal(plain[i].Tokens, speculative[i].Tokens);
            Assert.Equal(plain[i].StopReason, speculative[i].StopReason);
        }

        var stats = speculative.Select(s => s.Speculation!).ToList();
        Assert.True(stats.Sum(s => s.Rounds) > 0);
        if (agreement == 1.0)
        {
            Assert.All(stats, s => Assert.Equal(s.Drafted, s.Accepted));
        }
        else
        {
            Assert.True(stats.Sum(s => s.Accepted) < stats.Sum(s => s.Drafted), "a disagreeing draft was never rejected");
        }
    }

    [Fact]
    public void Sampled_IdenticalDraft_AcceptsEveryDraft()
    {
        // p equals q, so every draft passes u * q(x) < p(x); a draft cache one position off would propose other tokens.
        var engine = drafts.Identical;
        var sequences = Run(new T3BatchExecutor(engine.Bundle, Speculate), engine, temperature: 0.8f, seed: 9);

        Assert.All(sequences, s => Assert.True(s.Speculation!.Rounds > 0));
        Assert.All(sequences, s => Assert.Equal(s.Speculation!.Drafted, s.Speculation.Accepted));
    }

    [Fact]
    public void Sampled_PartialDraft_CachesHoldExactlyTheAcceptedTokensAfterEveryRound()
    {
        // The target has seen every accepted token but the newest; the draft all but its lag (1, or 2 after a round that
        // kept every draft). Checked after every round, through rejections at every position.
        var engine = drafts.Partial;
        var executor = new T3BatchExecutor(engine.Bundle, Speculate);
        var sequences = Texts.Select((t, i) => New(executor, engine, t, temperature: 0.8f, seed: (ulong)(20 + i))).ToList();
        executor.Prefill(sequences, TestContext.Current.CancellationToken);
        var prefill = sequences.Select(s => T3BatchExecutor.CachedPositions(TargetOf(executor), s)).ToArray();
        var rejectedAt = new HashSet<int>();
        while (sequences.Any(s => !s.IsFinished))
        {
            var before = sequences.Select(s => (s.Speculation!.Drafted, s.Speculation.Accepted)).ToArray();
            executor.Step(sequences, TestContext.Current.CancellationToken);
            for (var i = 0; i < sequences.Count; i++)
            {
                var s = sequences[i];
                var drafted = s.Speculation!.Drafted - before[i].Drafted;
                var accepted = s.Speculation.Accepted - before[i].Accepted;
                if (accepted < drafted)
                {
                    rejectedAt.Add(accepted);
                }

                if (!s.IsFinished)
                {
                    Assert.Equal(prefill[i] + s.Tokens.Count - 1, T3BatchExecutor.CachedPositions(TargetOf(executor), s));
                    Assert.Equal(prefill[i] + s.Tokens.Count - s.Speculation.DraftLag, T3BatchExecutor.CachedPositions(DraftOf(executor), s));
                }
            }
        }

        Assert.Superset(new HashSet<int> { 0, 1 }, rejectedAt);
        Assert.Equal(0, T3BatchExecutor.CacheBytes(sequences));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void TargetRewind_AtEachRejectionPosition_LaterLogitsMatchRecompute(int kept)
    {
        // Feed [newest, x1 .. x4] in one call, keep the newest and x1 .. x(kept) as a rejection at position kept does,
        // accept those, then decode on: every later step must equal recomputing the kept sequence from scratch.
        var executor = new T3BatchExecutor(tiny.Engine.Bundle);
        var sequence = GenerationHelpers.NewSequence(tiny.Engine, executor, Texts[0].Text, seed: 3, cfgWeight: 0.5f);
        executor.Prefill([sequence], TestContext.Current.CancellationToken);
        for (var s = 0; s < 3; s++)
        {
            executor.Step([sequence], TestContext.Current.CancellationToken);
        }

        var target = TargetOf(executor);
        var before = T3BatchExecutor.CachedPositions(target, sequence);
        long[] proposed = [101, 202, 303, 404];
        executor.Feed(target, [sequence], [[sequence.Tokens[^1], .. proposed]], [sequence.Tokens.Count], allPositions: true, TestContext.Current.CancellationToken);
        executor.RewindTarget(sequence, before + 1 + kept);
        foreach (var token in proposed.Take(kept))
        {
            sequence.Accept(token);
        }

        sequence.Accept(505); // the replacement token
        var logits = new List<float[]>();
        for (var s = 0; s < 3 && !sequence.IsFinished; s++)
        {
            executor.Step([sequence], TestContext.Current.CancellationToken);
            logits.Add((float[])sequence.LastLogits!.Clone());
        }

        var h = executor.Info.HiddenSize;
        var width = executor.Info.LogitsWidth;
        var fed = sequence.FedEmbeddings!;
        var length = fed[0].Count / h;
        Assert.Equal(T3BatchExecutor.CachedPositions(target, sequence), length);
        var recomputed = executor.RecomputeLogits([.. fed.SelectMany(r => r)], sequence.Rows, length, TestContext.Current.CancellationToken);
        for (var step = 0; step < logits.Count; step++)
        {
            var position = length - logits.Count + step;
            for (var r = 0; r < sequence.Rows; r++)
            {
                var worst = 0f;
                for (var v = 0; v < width; v++)
                {
                    if (v != ChatterboxConstants.StopOfSpeech)
                    {
                        worst = Math.Max(worst, Math.Abs(recomputed[(((r * length) + position) * width) + v] - logits[step][(r * width) + v]));
                    }
                }

                Assert.True(worst <= 1e-3f, $"kept {kept}: step {step}, row {r}: max |diff| {worst}");
            }
        }
    }

    /// <summary>
    /// Under sampling, speculative tokens are distributed as plain ones: the second to fourth tokens of many seeded runs
    /// (the first comes from the prefill either way), pooled as (position, token) bins, compared by a chi-square test of
    /// homogeneity at the 1e-4 level. Power: with "accept every draft" (the draft's distribution instead of the
    /// target's) the statistic was far above the critical value (see the closing note of issue 9).
    /// </summary>
    [Fact]
    public void Sampled_PartialDraft_TokensDistributedAsPlainDecoding()
    {
        const int Runs = 480;
        var engine = drafts.Partial;
        var plain = Histogram(new T3BatchExecutor(engine.Bundle), engine, Runs, seedBase: 1_000);
        var speculative = Histogram(new T3BatchExecutor(engine.Bundle, Speculate), engine, Runs, seedBase: 50_000);

        var (statistic, degrees) = Homogeneity(plain, speculative);
        var critical = Statistics.ChiSquareCritical(degrees);
        Assert.True(statistic < critical, $"chi-square {statistic:F1} >= {critical:F1} on {degrees} df: speculative tokens are not distributed as plain ones");
    }

    private static Dictionary<(int, long), int> Histogram(T3BatchExecutor executor, TtsEngine engine, int runs, ulong seedBase)
    {
        const int Batch = 48;
        var counts = new Dictionary<(int, long), int>();
        for (var start = 0; start < runs; start += Batch)
        {
            var batch = Enumerable.Range(start, Batch).Select(i => New(executor, engine, Texts[0], temperature: 1.2f, seed: seedBase + (ulong)i)).ToList();
            executor.Prefill(batch, TestContext.Current.CancellationToken);
            while (batch.Any(s => !s.IsFinished && s.Tokens.Count < 4))
            {
                executor.Step([.. batch.Where(s => !s.IsFinished && s.Tokens.Count < 4)], TestContext.Current.CancellationToken);
            }

            foreach (var sequence in batch)
            {
                for (var p = 1; p < Math.Min(4, sequence.Tokens.Count); p++)
                {
                    counts[(p, sequence.Tokens[p])] = counts.GetValueOrDefault((p, sequence.Tokens[p])) + 1;
                }

                executor.Release(sequence);
            }
        }

        return counts;
    }

    /// <summary>Pearson's test of homogeneity of two samples; bins with fewer than 10 observations in all are pooled into one.</summary>
    private static (double Statistic, int Degrees) Homogeneity(Dictionary<(int, long), int> a, Dictionary<(int, long), int> b)
    {
        var keys = a.Keys.Union(b.Keys).ToList();
        var bins = new List<(double A, double B)>();
        var (pooledA, pooledB) = (0.0, 0.0);
        foreach (var key in keys)
        {
            var (x, y) = (a.GetValueOrDefault(key), b.GetValueOrDefault(key));
            if (x + y < 10)
            {
                (pooledA, pooledB) = (pooledA + x, pooledB + y);
            }
            else
            {
                bins.Add((x, y));
            }
        }

        if (pooledA + pooledB > 0)
        {
            bins.Add((pooledA, pooledB));
        }

        var (totalA, totalB) = (bins.Sum(c => c.A), bins.Sum(c => c.B));
        var statistic = 0.0;
        foreach (var (x, y) in bins)
        {
            var expectedA = (x + y) * totalA / (totalA + totalB);
            var expectedB = (x + y) * totalB / (totalA + totalB);
            statistic += ((x - expectedA) * (x - expectedA) / expectedA) + ((y - expectedB) * (y - expectedB) / expectedB);
        }

        return (statistic, Math.Max(1, bins.Count - 1));
    }

    /// <summary>Two sequences prefilled together, a third joining after three steps, all run to their end.</summary>
    private static List<T3Sequence> Run(T3BatchExecutor executor, TtsEngine engine, float temperature, ulong seed)
    {
        var sequences = Texts.Select((t, i) => New(executor, engine, t, temperature, seed + (ulong)i)).ToList();
        executor.Prefill(sequences[..2], TestContext.Current.CancellationToken);
        for (var s = 0; s < 3; s++)
        {
            executor.Step(sequences[..2], TestContext.Current.CancellationToken);
        }

        executor.Prefill([sequences[2]], TestContext.Current.CancellationToken);
        while (sequences.Any(s => !s.IsFinished))
        {
            executor.Step(sequences, TestContext.Current.CancellationToken);
        }

        return sequences;
    }

    private static T3Sequence New(T3BatchExecutor executor, TtsEngine engine, (string Text, string Language, float CfgWeight) text, float temperature, ulong seed) =>
        executor.CreateSequence(new GenerationRequest(
            engine.Tokenizer.Encode(text.Text, text.Language),
            engine.DefaultVoice,
            new SamplingOptions { Seed = seed, CfgWeight = text.CfgWeight, Temperature = temperature }));

    private static LanguageModelRunner TargetOf(T3BatchExecutor executor) => executor.Target;

    private static LanguageModelRunner DraftOf(T3BatchExecutor executor) => executor.Draft!;
}
