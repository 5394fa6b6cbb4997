using Sawt.Inference.Generation;
using Sawt.Inference.Sampling;
using Sawt.Inference.Tests.Generation;

namespace Sawt.Inference.Tests.Turbo;

/// <summary>
/// Turbo's language model reads every position from <c>position_ids</c> (a learned absolute table in the synthetic
/// graph), so a row fed the padded index instead of its own count of valid columns gets other logits. Each sequence's
/// incremental logits must equal a recompute of everything it was fed from an empty cache at positions 0..n-1:
/// alone, left-padded in a ragged batch, gathered after others leave, joined by a newcomer, and rewound by
/// speculative rejections. Tolerance as in <see cref="KvCacheParityTests"/>: 1e-3 absolute, the STOP logit left out of
/// runs that reach the synthetic STOP transition (tanh(400 x margin) x 24 turns float noise into 1e-2 there). The fp16
/// graph rounds K and V to f16 in the recompute exactly as in the cache, so the same tolerance holds for it.
/// </summary>
[Trait("Category", "Unit")]
public sealed class TurboPositionParityTests(TurboBundleFixture turbo)
{
    private const float Tolerance = 1e-3f;

    private static readonly string[] Texts =
    [
        "The quick brown fox jumps over the lazy dog.",
        "A longer sentence, so that this row is padded less than the others in the batch.",
        "Short one.",
    ];

    [Theory]
    [InlineData("fp32")]
    [InlineData("fp16")]
    public void Batch1_UntilItStops_EveryStepMatchesRecompute(string variant)
    {
        using var engine = turbo.Load(variant);
        var executor = new T3BatchExecutor(engine.Bundle);
        var sequence = NewSequence(engine, executor, Texts[0], seed: 7);

        var perStep = GenerationHelpers.Generate(executor, [sequence], keepStepping: _ => true);

        Assert.Equal(1, sequence.Rows);
        Assert.True(sequence.Tokens.Count > 20, $"{sequence.StopReason} after {sequence.Tokens.Count} tokens");
        AssertEveryStepMatchesRecompute(executor, sequence, perStep[0], "batch of one", Tolerance);
    }

    [Fact]
    public void RaggedBatch_UntilEachStops_EachMatchesItsOwnRecompute()
    {
        // Three prefill lengths under different left padding; as each stops the rest are gathered into a narrower batch.
        var executor = new T3BatchExecutor(turbo.Engine.Bundle);
        var batch = Texts.Select((t, i) => NewSequence(turbo.Engine, executor, t, seed: (ulong)(i + 1))).ToList();
        Assert.Equal(3, batch.Select(q => q.Text.Ids.Length).Distinct().Count());

        var perStep = GenerationHelpers.Generate(executor, batch, keepStepping: _ => true);

        Assert.Equal(3, batch.Select(q => q.Tokens.Count).Distinct().Count());
        for (var i = 0; i < batch.Count; i++)
        {
            AssertEveryStepMatchesRecompute(executor, batch[i], perStep[i], $"sequence {i} of the ragged batch", Tolerance);
        }
    }

    [Fact]
    public void Join_NewcomerPrefilledMidRun_BothMatchTheirRecompute()
    {
        // The first sequence has 6 steps of cache when the second (longer prompt) joins: the gather left-pads the
        // shorter cache, and each row's positions must still be its own count.
        var executor = new T3BatchExecutor(turbo.Engine.Bundle);
        var first = NewSequence(turbo.Engine, executor, Texts[2], seed: 3);
        var second = NewSequence(turbo.Engine, executor, Texts[1], seed: 4);
        var firstLog = new List<float[]>();
        var secondLog = new List<float[]>();
        var ct = TestContext.Current.CancellationToken;

        executor.Prefill([first], ct);
        firstLog.Add((float[])first.LastLogits!.Clone());
        for (var s = 0; s < 6; s++)
        {
            executor.Step([first], ct);
            firstLog.Add((float[])first.LastLogits!.Clone());
        }

        executor.Prefill([second], ct);
        secondLog.Add((float[])second.LastLogits!.Clone());
        for (var s = 0; s < 8 && !(first.IsFinished && second.IsFinished); s++)
        {
            var running = new[] { first, second }.Where(q => !q.IsFinished).ToList();
            executor.Step(running, ct);
            foreach (var q in running)
            {
                (q == first ? firstLog : secondLog).Add((float[])q.LastLogits!.Clone());
            }
        }

        Assert.True(secondLog.Count > 2, "the newcomer never stepped together with the first sequence");
        AssertEveryStepMatchesRecompute(executor, first, firstLog, "the sequence joined mid-run", Tolerance);
        AssertEveryStepMatchesRecompute(executor, second, secondLog, "the newcomer", Tolerance);
    }

    [Fact]
    public void Speculative_RewindsAfterRejections_SameTokensAndCacheAsPlainDecoding()
    {
        // A partly agreeing draft gets tokens rejected, so the target cache is rewound and re-fed; the positions after a
        // rewind must continue from the accepted count. Greedy keeps the run deterministic.
        using var engine = turbo.Load("fp32", new SpeculativeOptions { Enabled = true, MaxDraftTokens = 4, MinDraftTokens = 1 });
        var executor = new T3BatchExecutor(engine.Bundle, new SpeculativeOptions { Enabled = true, MaxDraftTokens = 4, MinDraftTokens = 1 });
        var batch = Texts.Take(2).Select((t, i) => NewSequence(engine, executor, t, seed: (ulong)(i + 11), temperature: 0f)).ToList();
        var plainExecutor = new T3BatchExecutor(engine.Bundle);
        var plain = Texts.Take(2).Select((t, i) => NewSequence(engine, plainExecutor, t, seed: (ulong)(i + 11), temperature: 0f)).ToList();

        GenerationHelpers.Generate(executor, batch, keepStepping: _ => true);
        GenerationHelpers.Generate(plainExecutor, plain, keepStepping: _ => true);

        Assert.True(batch.Sum(s => s.Speculation!.Drafted - s.Speculation.Accepted) > 0, "no draft was rejected, so nothing was rewound");
        for (var i = 0; i < batch.Count; i++)
        {
            // Greedy speculative decoding must reproduce plain decoding token for token (the target verifies every draft
            // at the positions after the rewind), and the cache it kept must be what plain decoding fed. A round that
            // accepts STOP ends the sequence without rewinding the drafts fed after it, so only plain's length counts.
            Assert.Equal(plain[i].Tokens, batch[i].Tokens);
            var kept = plain[i].FedEmbeddings![0];
            Assert.Equal(kept, batch[i].FedEmbeddings![0].Take(kept.Count));
        }
    }

    [Fact]
    public void FillPositions_PaddingAndRewoundColumns_CountOnlyValidOnes()
    {
        // past: pad, pad, 3 valid, 1 rewound, 1 valid; new: pad, valid, valid.
        long[] mask = [0, 0, 1, 1, 1, 0, 1, 0, 1, 1];
        var positions = new long[3];

        KvBatch.FillPositions(mask, pastLength: 7, positions);

        Assert.Equal([0L, 4L, 5L], positions);
    }

    private static T3Sequence NewSequence(TtsEngine engine, T3BatchExecutor executor, string text, ulong seed, float temperature = 0.8f)
    {
        var request = new GenerationRequest(
            engine.Tokenizer.Encode(text, "en"),
            engine.DefaultVoice,
            new SamplingOptions { Seed = seed, Temperature = temperature, MaxNewTokens = 400 });
        var sequence = executor.CreateSequence(request);
        sequence.FedEmbeddings = Enumerable.Range(0, sequence.Rows).Select(_ => new List<float>()).ToArray();
        return sequence;
    }

    /// <summary>Recomputes the whole sequence from the embeddings it was fed and compares every LM call's last-position logits.</summary>
    private static void AssertEveryStepMatchesRecompute(T3BatchExecutor executor, T3Sequence sequence, List<float[]> perStep, string what, float tolerance)
    {
        var fed = sequence.FedEmbeddings!;
        var h = executor.Info.HiddenSize;
        var width = executor.Info.LogitsWidth;
        var length = fed[0].Count / h;
        var recomputed = executor.RecomputeLogits([.. fed[0]], 1, length, TestContext.Current.CancellationToken);
        var prefill = length - (perStep.Count - 1);
        for (var step = 0; step < perStep.Count; step++)
        {
            var position = prefill - 1 + step;
            AssertClose(recomputed.AsSpan(position * width, width), perStep[step], $"{what}, step {step}", tolerance);
        }
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string where, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0f;
        for (var i = 0; i < expected.Length; i++)
        {
            if (i == ChatterboxConstants.StopOfSpeech)
            {
                continue;
            }

            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }

        Assert.True(worst <= tolerance, $"{where}: max |diff| {worst} > {tolerance}");
    }
}
