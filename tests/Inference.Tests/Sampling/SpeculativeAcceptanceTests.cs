using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Sampling;

/// <summary>
/// Losslessness of one verification step: drafting x from q and verifying it must give tokens distributed exactly
/// as the target's p. Power: with <see cref="Draws"/> = 100 000 per pair, <see cref="GoodnessOfFit.Power"/> puts the
/// probability that the chi-square test (level 1e-4) rejects "accept always" (output q) or "resample from p instead
/// of the residual" (output min(p, q) + (1 - sum min(p, q)) p) above 0.999 for every pair; the lossless test asserts
/// that bound, and <see cref="NaiveVerifier_OutputIsRejected"/> runs both naive verifiers to show the rejection.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SpeculativeAcceptanceTests
{
    private const int Draws = 100_000;
    private const int Width = SpeculativePair.Width;

    public static TheoryData<int> Pairs => [0, 1, 2, 3];

    public static TheoryData<int, bool> NaivePairs => new()
    {
        { 0, true }, { 1, true }, { 2, true }, { 3, true },
        { 0, false }, { 1, false }, { 2, false }, { 3, false },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Verify_DraftFromQ_OutputDistributedAsTarget(int index)
    {
        var pair = SpeculativePair.Create(index);
        var random = new DeterministicRandom(1000 + (ulong)index);
        var counts = new int[Width];

        for (var i = 0; i < Draws; i++)
        {
            var drafted = SpeculativeAcceptance.Draw(pair.Draft, random);
            counts[SpeculativeAcceptance.Verify(pair.Target, pair.Draft, drafted, random).Token]++;
        }

        var fit = GoodnessOfFit.Test(counts, pair.Target);
        Assert.False(fit.Rejects, $"{pair}: {fit}; counts {string.Join(",", counts)}");
        var acceptAlways = GoodnessOfFit.Power(pair.Target, pair.AcceptAlwaysOutput(), Draws);
        var resampleFromTarget = GoodnessOfFit.Power(pair.Target, pair.ResampleFromTargetOutput(), Draws);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{pair}: {fit}; power vs accept-always {acceptAlways:0.######}, vs resample-from-p {resampleFromTarget:0.######}");
        Assert.True(acceptAlways > 0.999, $"{pair}: power against accept-always only {acceptAlways}");
        Assert.True(resampleFromTarget > 0.999, $"{pair}: power against resample-from-p only {resampleFromTarget}");
    }

    [Theory]
    [MemberData(nameof(NaivePairs))]
    public void NaiveVerifier_OutputIsRejected(int index, bool acceptAlways)
    {
        // The same trials as the lossless test with a wrong verifier: the test that passes the real one must fail it.
        var pair = SpeculativePair.Create(index);
        var random = new DeterministicRandom(1000 + (ulong)index);
        var counts = new int[Width];

        for (var i = 0; i < Draws; i++)
        {
            var drafted = SpeculativeAcceptance.Draw(pair.Draft, random);
            var keep = acceptAlways || random.NextDouble() * pair.Draft[drafted] < pair.Target[drafted];
            counts[keep ? drafted : SpeculativeAcceptance.Draw(pair.Target, random)]++;
        }

        var fit = GoodnessOfFit.Test(counts, pair.Target);
        Assert.True(fit.Rejects, $"{pair}: {fit}");
    }

    [Fact]
    public void Pairs_CoverMassWhereTheOtherSideHasNone()
    {
        static bool DraftOnly(SpeculativePair pair) => pair.Draft.Where((q, id) => q > 0 && pair.Target[id] == 0).Any();
        static bool TargetOnly(SpeculativePair pair) => pair.Target.Where((p, id) => p > 0 && pair.Draft[id] == 0).Any();
        var pairs = Pairs.Select(row => SpeculativePair.Create(row.Data)).ToArray();

        Assert.True(DraftOnly(pairs[0]));
        Assert.True(TargetOnly(pairs[1]));
        Assert.True(DraftOnly(pairs[2]) && TargetOnly(pairs[2]));
        Assert.All(pairs, pair => Assert.NotEqual(pair.Target, pair.Draft));
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Verify_AcceptanceRate_IsSumOfMinPQ(int index)
    {
        // Acceptance probability of the rule is sum_x q(x) min(1, p(x)/q(x)) = sum_x min(p(x), q(x)); a binomial
        // count within 4.5 standard deviations (two-sided level below 1e-5).
        var pair = SpeculativePair.Create(index);
        var random = new DeterministicRandom(2000 + (ulong)index);
        var accepted = 0;

        for (var i = 0; i < Draws; i++)
        {
            var drafted = SpeculativeAcceptance.Draw(pair.Draft, random);
            accepted += SpeculativeAcceptance.Verify(pair.Target, pair.Draft, drafted, random).Accepted ? 1 : 0;
        }

        var rate = pair.Target.Zip(pair.Draft, Math.Min).Sum();
        var deviation = Math.Sqrt(Draws * rate * (1 - rate));
        Assert.InRange(accepted, (Draws * rate) - (4.5 * deviation), (Draws * rate) + (4.5 * deviation));
    }

    [Fact]
    public void Verify_GreedyTarget_KeepsOnlyTheArgmax_ElseReturnsIt()
    {
        float[] logits = [0f, 1f, 3f, 2.9f, 0.5f, -1f, 0f, 0f, 0f, 0f, 0f, 0f];
        var target = new double[Width];
        new TokenSampler(new SamplingOptions { Temperature = 0f }, new DeterministicRandom(1)).ProbabilitiesInto(logits, [2], target);
        var argmax = Array.IndexOf(target, 1.0);
        var draft = SpeculativePair.Create(0).Draft;
        var random = new DeterministicRandom(5);

        for (var drafted = 0; drafted < Width; drafted++)
        {
            if (draft[drafted] == 0)
            {
                continue;
            }

            for (var trial = 0; trial < 200; trial++)
            {
                var verdict = SpeculativeAcceptance.Verify(target, draft, drafted, random);

                Assert.Equal(drafted == argmax, verdict.Accepted);
                Assert.Equal(argmax, verdict.Token);
            }
        }

        Assert.Equal(3, argmax);
    }

    [Fact]
    public void Verify_SameDistribution_AlwaysAccepts()
    {
        var p = SpeculativePair.Create(2).Target;
        var random = new DeterministicRandom(6);

        for (var i = 0; i < 5000; i++)
        {
            var drafted = SpeculativeAcceptance.Draw(p, random);

            Assert.Equal(new SpeculativeVerdict(true, drafted), SpeculativeAcceptance.Verify(p, p, drafted, random));
        }
    }

    [Fact]
    public void Verify_TargetWithoutMassOnTheDraft_RejectsAndDrawsFromTheResidualOnly()
    {
        var pair = SpeculativePair.Create(0);
        var drafted = Enumerable.Range(0, Width).First(id => pair.Draft[id] > 0 && pair.Target[id] == 0);
        var random = new DeterministicRandom(7);

        for (var i = 0; i < 2000; i++)
        {
            var verdict = SpeculativeAcceptance.Verify(pair.Target, pair.Draft, drafted, random);

            Assert.False(verdict.Accepted);
            Assert.True(pair.Target[verdict.Token] > pair.Draft[verdict.Token], $"token {verdict.Token} has no residual");
        }
    }

    [Fact]
    public void Verify_RandomUse_OneValueOnAcceptTwoOnReject()
    {
        double[] target = [0.5, 0.5, 0, 0];
        double[] draft = [0.5, 0, 0.5, 0];
        var random = new DeterministicRandom(8);
        var witness = random.Clone();

        Assert.True(SpeculativeAcceptance.Verify(target, draft, 0, random).Accepted);
        Assert.Equal(new SpeculativeVerdict(false, 1), SpeculativeAcceptance.Verify(target, draft, 2, random));

        witness.NextUInt64();
        witness.NextUInt64();
        witness.NextUInt64();
        Assert.Equal(witness.NextUInt64(), random.NextUInt64());
    }

    [Fact]
    public void Verify_InvalidArguments_Throw()
    {
        double[] target = [0.5, 0.5, 0];
        double[] draft = [0.5, 0, 0.5];
        var random = new DeterministicRandom(1);

        Assert.Throws<ArgumentException>(() => SpeculativeAcceptance.Verify(target, draft, 1, random));
        Assert.Throws<ArgumentException>(() => SpeculativeAcceptance.Verify(target, [1.0, 0], 0, random));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpeculativeAcceptance.Verify(target, draft, 3, random));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpeculativeAcceptance.Verify(target, draft, -1, random));
    }

    [Fact]
    public void Draw_NoMass_Throws()
    {
        Assert.Throws<ArgumentException>(() => SpeculativeAcceptance.Draw([0.0, 0.0], new DeterministicRandom(1)));
    }
}
