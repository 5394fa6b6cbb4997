using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Sampling;

[Trait("Category", "Unit")]
public sealed class AlignmentStreamAnalyzerTests
{
    // S = 12: complete at text position 9 (S - 3); alignment repetition looks at columns [0, 7).
    private const int TextLength = 12;

    [Fact]
    public void Constructor_OnnxLayout_DerivesTextLength()
    {
        var analyzer = new AlignmentStreamAnalyzer(AlignmentStreamAnalyzer.OnnxTextStart, 46);

        Assert.Equal(34, analyzer.TextStart);
        Assert.Equal(12, analyzer.TextLength);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AlignmentStreamAnalyzer(34, 34));
    }

    [Fact]
    public void Step_CleanDiagonal_SuppressesStopUntilNearEndAndNeverForces()
    {
        var scenario = new SyntheticAlignment(TextLength);

        var prefill = scenario.Prefill((0, 0.9f));
        Assert.True(prefill.Started);
        Assert.True(prefill.SuppressStop);
        Assert.Equal(2, scenario.Analyzer.Frames);

        // Two frames per text id: position k / 2 at step k.
        var decisions = new List<AlignmentDecision> { prefill };
        for (var step = 1; step <= 21; step++)
        {
            decisions.Add(scenario.DecodeAt(step / 2));
        }

        Assert.All(decisions, d => Assert.Equal(StopReason.None, d.ForcedStop));
        Assert.All(decisions, d => Assert.False(d.Discontinuity));
        Assert.All(decisions.Take(18), d => Assert.True(d.SuppressStop));
        Assert.All(decisions.Take(18), d => Assert.False(d.Complete));

        // Step 18 reaches text position 9 = S - 3: complete, STOP no longer suppressed.
        Assert.All(decisions.Skip(18), d => Assert.False(d.SuppressStop));
        Assert.All(decisions.Skip(18), d => Assert.True(d.Complete));
        Assert.Equal(9, decisions[18].TextPosition);
        Assert.Equal(20, scenario.Analyzer.CompletedAt); // 2 prefill rows + 18 decode rows
        Assert.Equal(10, decisions[^1].TextPosition);
    }

    [Fact]
    public void Step_Prefill_UsesOnlyTheBosRows()
    {
        var scenario = new SyntheticAlignment(TextLength);

        // The BOS rows attend weakly; the decoy rows before them attend strongly to text id 0.
        var decision = scenario.Prefill((0, 0.3f));

        Assert.Equal(2, scenario.Analyzer.Frames);
        Assert.False(decision.Started);
    }

    [Fact]
    public void Step_WeakOnset_IsFalseStartUntilEarlyTextGetsStrongAttention()
    {
        var scenario = new SyntheticAlignment(TextLength);

        Assert.False(scenario.Prefill((0, 0.3f)).Started);
        Assert.False(scenario.DecodeAt(1, 0.4f).Started);
        Assert.False(scenario.DecodeAt(1, 0.45f).Started);

        var started = scenario.DecodeAt(2, 0.8f);
        Assert.True(started.Started);

        // Once started it stays started, whatever the attention does.
        Assert.True(scenario.DecodeAt(2, 0.01f).Started);
    }

    [Fact]
    public void Step_AttentionOnLastTextIdsBeforeStart_IsFalseStartForTwoRows()
    {
        // S = 6: the last two columns (4, 5) survive the column zeroing from step 5 on.
        var scenario = new SyntheticAlignment(6);
        Assert.False(scenario.Prefill((0, 0.2f)).Started);
        for (var step = 1; step <= 4; step++)
        {
            Assert.False(scenario.DecodeAt(1, 0.2f).Started);
        }

        // Strong onset, but the last text id lights up too: still a false start.
        Assert.False(scenario.Decode((0, 0.9f), (5, 0.2f)).Started);

        // A clean row, but the corner still sees the previous row.
        Assert.False(scenario.DecodeAt(1).Started);
        Assert.True(scenario.DecodeAt(1).Started);
    }

    [Fact]
    public void Step_JumpBack_IsDiscontinuityAndKeepsTextPosition()
    {
        var scenario = new SyntheticAlignment(TextLength);
        scenario.Prefill((0, 0.9f));
        for (var step = 1; step <= 6; step++)
        {
            scenario.DecodeAt(step);
        }

        Assert.Equal(6, scenario.Analyzer.TextPosition);

        var jump = scenario.DecodeAt(2); // delta -4: outside (-4, 7)
        Assert.True(jump.Discontinuity);
        Assert.Equal(2, jump.Position);
        Assert.Equal(6, jump.TextPosition);

        var smallStepBack = scenario.DecodeAt(3); // delta -3: continuous, moves back
        Assert.False(smallStepBack.Discontinuity);
        Assert.Equal(3, smallStepBack.TextPosition);
    }

    [Fact]
    public void Step_ForwardJumpOfSeven_IsDiscontinuityButSixIsNot()
    {
        var scenario = new SyntheticAlignment(20);
        scenario.Prefill((0, 0.9f));
        for (var step = 1; step <= 8; step++)
        {
            scenario.DecodeAt(0);
        }

        var seven = scenario.DecodeAt(7);
        Assert.True(seven.Discontinuity);
        Assert.Equal(0, seven.TextPosition);

        var six = scenario.DecodeAt(6);
        Assert.False(six.Discontinuity);
        Assert.Equal(6, six.TextPosition);
    }

    [Fact]
    public void Step_ColumnsBeyondStepIndex_AreZeroed()
    {
        var scenario = new SyntheticAlignment(TextLength);

        // The prefill is step 0: only column 0 survives, even though the BOS rows peak at column 5.
        var prefill = scenario.Prefill((0, 0.6f), (5, 0.9f), (11, 0.9f));
        Assert.Equal(0, prefill.Position);
        Assert.Equal(0.6f, scenario.Analyzer.NewestRow[0]);
        Assert.All(scenario.Analyzer.NewestRow[1..].ToArray(), value => Assert.Equal(0f, value));

        scenario.DecodeAt(1);

        // Step 2 keeps columns 0..2: the peak at column 5 is cut, column 1 wins.
        var third = scenario.Decode((1, 0.2f), (5, 0.9f));
        Assert.Equal(1, third.Position);
        Assert.Equal(0f, scenario.Analyzer.NewestRow[5]);
        Assert.Equal(0.2f, scenario.Analyzer.NewestRow[1]);
    }

    [Fact]
    public void Step_AttentionLingersOnFinalTextAfterCompletion_ForcesLongTail()
    {
        var scenario = CompleteAtPositionNine();

        // Rows since completion exclude the completing row (which also sat on column 9): 5 x 0.9 = 4.5 < 5.
        for (var row = 1; row <= 5; row++)
        {
            var decision = scenario.DecodeAt(9);
            Assert.Equal(StopReason.None, decision.ForcedStop);
        }

        var sixth = scenario.DecodeAt(9); // 5.4 >= 5
        Assert.Equal(StopReason.LongTail, sixth.ForcedStop);
        Assert.True(sixth.ForcesStop);
    }

    [Fact]
    public void Step_AttentionReturnsToEarlyTextAfterCompletion_ForcesAlignmentRepetition()
    {
        var scenario = CompleteAtPositionNine();

        for (var row = 1; row <= 5; row++)
        {
            var decision = scenario.DecodeAt(2);
            Assert.Equal(StopReason.None, decision.ForcedStop);
            Assert.True(decision.Discontinuity);
            Assert.True(decision.SuppressStop); // the newest row's argmax is early text
        }

        var sixth = scenario.DecodeAt(2); // row maxima over columns [0, 7): 6 x 0.9 = 5.4 > 5
        Assert.Equal(StopReason.AlignmentRepetition, sixth.ForcedStop);
        Assert.Equal(9, sixth.TextPosition);
    }

    [Fact]
    public void Step_EarlyTextAttentionBeforeCompletion_DoesNotCount()
    {
        var scenario = new SyntheticAlignment(TextLength);
        scenario.Prefill((0, 0.9f));
        for (var step = 1; step <= 20; step++)
        {
            Assert.Equal(StopReason.None, scenario.DecodeAt(1).ForcedStop);
        }

        Assert.False(scenario.Analyzer.Complete);
    }

    [Fact]
    public void Step_LastTwoTokensEqual_ForcesTokenRepetition()
    {
        var scenario = new SyntheticAlignment(TextLength);

        Assert.Equal(StopReason.None, scenario.Prefill((0, 0.9f)).ForcedStop); // token 6561
        Assert.Equal(StopReason.None, scenario.Decode(42, (1, 0.9f)).ForcedStop);
        var repeat = scenario.Decode(42, (1, 0.9f));

        Assert.Equal(StopReason.TokenRepetition, repeat.ForcedStop);
        Assert.False(repeat.Complete);
        Assert.Equal(3, scenario.Analyzer.TokensSeen);
    }

    [Fact]
    public void Step_RepeatWithinFirstTwoTokens_WaitsForThirdToken()
    {
        var scenario = new SyntheticAlignment(TextLength);

        Assert.Equal(StopReason.None, scenario.Prefill((0, 0.9f)).ForcedStop);
        Assert.Equal(StopReason.None, scenario.Decode(ChatterboxConstants.StartOfSpeech, (1, 0.9f)).ForcedStop);
        Assert.Equal(StopReason.None, scenario.Decode(7, (1, 0.9f)).ForcedStop);
        Assert.Equal(StopReason.None, scenario.Decode(8, (1, 0.9f)).ForcedStop);
        Assert.Equal(StopReason.None, scenario.Decode(7, (1, 0.9f)).ForcedStop);
    }

    [Fact]
    public void Step_ShortText_NeverSuppressesStopNorFailsOnRepetitionRule()
    {
        var scenario = new SyntheticAlignment(5);

        var decisions = new List<AlignmentDecision> { scenario.Prefill((0, 0.9f)) };
        decisions.Add(scenario.DecodeAt(1));
        decisions.Add(scenario.DecodeAt(2)); // complete: 2 >= S - 3
        for (var row = 0; row < 8; row++)
        {
            decisions.Add(scenario.DecodeAt(0)); // early text after completion; the reference raises here
        }

        Assert.All(decisions, d => Assert.False(d.SuppressStop));
        Assert.All(decisions, d => Assert.NotEqual(StopReason.AlignmentRepetition, d.ForcedStop));
        Assert.True(decisions[^1].Complete);
    }

    [Fact]
    public void Step_PrefillWithoutBosRows_Throws()
    {
        var analyzer = new AlignmentStreamAnalyzer(34, 46);

        Assert.Throws<ArgumentException>(() => analyzer.Step(new float[46 * 46], 46, 46, 6561));
        Assert.Throws<ArgumentException>(() => analyzer.Step(new float[10], 2, 48, 6561));
    }

    [Fact]
    public void ApplyToLogits_Suppress_SetsOnlyStopLow()
    {
        var logits = Enumerable.Range(0, ChatterboxConstants.SpeechLogitsWidth).Select(k => k * 0.001f).ToArray();
        var expected = logits.ToArray();
        expected[6562] = -32768f;

        AlignmentStreamAnalyzer.ApplyToLogits(logits, Decision(StopReason.None, suppress: true));

        Assert.Equal(expected, logits);
    }

    [Fact]
    public void ApplyToLogits_Force_MakesStopTheOnlyCandidate()
    {
        var logits = Enumerable.Range(0, ChatterboxConstants.SpeechLogitsWidth).Select(k => k * 0.001f).ToArray();

        AlignmentStreamAnalyzer.ApplyToLogits(logits, Decision(StopReason.LongTail, suppress: true));

        Assert.Equal(32768f, logits[6562]);
        Assert.Equal(ChatterboxConstants.SpeechLogitsWidth - 1, logits.Count(l => l == -32768f));
    }

    [Fact]
    public void ApplyToLogits_NothingAsked_LeavesLogits()
    {
        var logits = Enumerable.Range(0, ChatterboxConstants.SpeechLogitsWidth).Select(k => k * 0.001f).ToArray();
        var expected = logits.ToArray();

        AlignmentStreamAnalyzer.ApplyToLogits(logits, Decision(StopReason.None, suppress: false));

        Assert.Equal(expected, logits);
        Assert.Throws<ArgumentOutOfRangeException>(
            () => AlignmentStreamAnalyzer.ApplyToLogits(new float[6562], Decision(StopReason.None, suppress: true)));
    }

    [Fact]
    public void AverageHeads_ReferenceHeads_AveragesSlotOneHead15SlotTwoHead11SlotZeroHead2()
    {
        const int layers = 3, heads = 16, query = 2, key = 5;
        var tensor = new float[layers * heads * query * key];
        Array.Fill(tensor, 99f); // every other head must be ignored
        FillHead(tensor, 1, 15, (r, c) => 0.1f * r + 0.01f * c);
        FillHead(tensor, 2, 11, (r, c) => 0.3f);
        FillHead(tensor, 0, 2, (r, c) => c == 4 ? 0.6f : 0f);
        var averaged = new float[query * key];

        AlignmentStreamAnalyzer.AverageHeads(tensor, query, key, averaged);

        for (var r = 0; r < query; r++)
        {
            for (var c = 0; c < key; c++)
            {
                var expected = (0.1f * r + 0.01f * c + 0.3f + (c == 4 ? 0.6f : 0f)) / 3f;
                Assert.Equal(expected, averaged[r * key + c], 5);
            }
        }

        Assert.Equal([new(1, 15), new(2, 11), new(0, 2)], AlignmentStreamAnalyzer.ReferenceHeads.ToArray());

        void FillHead(float[] t, int slot, int head, Func<int, int, float> value)
        {
            for (var r = 0; r < query; r++)
            {
                for (var c = 0; c < key; c++)
                {
                    t[((slot * heads + head) * query + r) * key + c] = value(r, c);
                }
            }
        }
    }

    [Fact]
    public void AverageHeads_GivenHeads_AveragesThoseOnly()
    {
        var tensor = new float[2 * 2 * 1 * 3];
        tensor[3] = 3f;  // slot 0, head 1
        tensor[9] = 6f;  // slot 1, head 1
        var averaged = new float[4];
        averaged[3] = 42f;

        AlignmentStreamAnalyzer.AverageHeads(tensor, 1, 3, averaged, [new(0, 1), new(1, 1)], layers: 2, heads: 2);

        Assert.Equal([4.5f, 0f, 0f, 42f], averaged);
    }

    [Fact]
    public void AverageHeads_BadShapes_Throw()
    {
        var averaged = new float[6];

        Assert.Throws<ArgumentException>(() => AlignmentStreamAnalyzer.AverageHeads(new float[10], 2, 3, averaged));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => AlignmentStreamAnalyzer.AverageHeads(new float[3 * 16 * 6], 2, 3, new float[5]));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => AlignmentStreamAnalyzer.AverageHeads(new float[6], 2, 3, averaged, [new(1, 0)], layers: 1, heads: 1));
    }

    // Walks a clean diagonal to text position 9 (S - 3); the completing row attends to column 9.
    private static SyntheticAlignment CompleteAtPositionNine()
    {
        var scenario = new SyntheticAlignment(TextLength);
        scenario.Prefill((0, 0.9f));
        for (var step = 1; step <= 9; step++)
        {
            var decision = scenario.DecodeAt(step);
            Assert.Equal(step == 9, decision.Complete);
        }

        Assert.Equal(11, scenario.Analyzer.CompletedAt);
        return scenario;
    }

    private static AlignmentDecision Decision(StopReason forced, bool suppress) =>
        new(forced, suppress, Position: 0, TextPosition: 0, Discontinuity: false, Started: true, Complete: false);
}
