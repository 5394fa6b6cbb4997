using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Sampling;

/// <summary>
/// Several speculative rounds on toy Markov models whose distributions depend on the history (tables plus the
/// repetition penalty): the joint law of the first three tokens must be the target's, for k = 1, 2, 3 (so the
/// three tokens span rejections, bonus tokens and round boundaries), and greedy must reproduce the target's argmax
/// chain exactly.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SpeculativeDecodingTests
{
    private const int Vocabulary = 6;
    private const int Length = 3;
    private const int Trials = 60_000;
    private static readonly long[] Prefix = [0];

    private static readonly ToyMarkovModel Target = new(Vocabulary, seed: 11, scale: 2f);

    // A different model, so acceptance is partial and both rejection and bonus paths run.
    private static readonly ToyMarkovModel Draft = new(Vocabulary, seed: 12, scale: 2f);

    private static readonly SamplingOptions TargetOptions = new()
    {
        Temperature = 1f,
        MinP = 0.05f,
        TopP = 0.9f,
        RepetitionPenalty = 1.5f,
    };

    private static readonly SamplingOptions DraftOptions = new()
    {
        Temperature = 1.2f,
        MinP = 0f,
        TopP = 1f,
        RepetitionPenalty = 1.2f,
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Generate_Speculative_JointOfFirstTokensIsTheTargets(int draftTokens)
    {
        var loop = new SpeculativeLoop(Target, TargetOptions, Draft, DraftOptions);

        var counts = JointCounts(loop, draftTokens, SpeculativeAcceptance.Verify);

        var fit = GoodnessOfFit.Test(counts, TargetJoint());
        TestContext.Current.TestOutputHelper?.WriteLine($"k {draftTokens}: {fit}; accepted {loop.Accepted}, rejected {loop.Rejected}");
        Assert.False(fit.Rejects, fit.ToString());
        Assert.True(loop.Accepted > Trials / 10 && loop.Rejected > Trials / 10, $"accepted {loop.Accepted}, rejected {loop.Rejected}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Generate_NaiveVerifiers_JointIsRejected(int draftTokens)
    {
        // The power of the joint test shown on the two classic mistakes, over the same trials.
        SpeculativeVerifier acceptAlways = static (_, _, drafted, _) => new SpeculativeVerdict(true, drafted);
        SpeculativeVerifier resampleFromTarget = static (target, draft, drafted, random) =>
            random.NextDouble() * draft[drafted] < target[drafted]
                ? new SpeculativeVerdict(true, drafted)
                : new SpeculativeVerdict(false, SpeculativeAcceptance.Draw(target, random));
        var expected = TargetJoint();

        foreach (var verify in new[] { acceptAlways, resampleFromTarget })
        {
            var counts = JointCounts(new SpeculativeLoop(Target, TargetOptions, Draft, DraftOptions), draftTokens, verify);

            var fit = GoodnessOfFit.Test(counts, expected);
            Assert.True(fit.Rejects, fit.ToString());
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void Generate_Greedy_EqualsTheTargetsArgmaxChain(int draftTokens)
    {
        var greedyTarget = TargetOptions with { Temperature = 0f };
        var greedyDraft = DraftOptions with { Temperature = 0f };
        var loop = new SpeculativeLoop(Target, greedyTarget, Draft, greedyDraft);

        var speculative = loop.Generate(Prefix, 60, draftTokens, new DeterministicRandom(3), SpeculativeAcceptance.Verify);

        var sampler = new TokenSampler(greedyTarget, new DeterministicRandom(4));
        var history = new List<long>(Prefix);
        var row = new float[Vocabulary];
        for (var i = 0; i < 60; i++)
        {
            Target.LogitsInto(history, row);
            history.Add(sampler.Sample(row, history.ToArray()));
        }

        Assert.Equal(history.Skip(Prefix.Length), speculative);
        Assert.True(loop.Accepted > 0 && loop.Rejected > 0, $"accepted {loop.Accepted}, rejected {loop.Rejected}");
    }

    private static int[] JointCounts(SpeculativeLoop loop, int draftTokens, SpeculativeVerifier verify)
    {
        var random = new DeterministicRandom(500 + (ulong)draftTokens);
        var counts = new int[(int)Math.Pow(Vocabulary, Length)];
        for (var trial = 0; trial < Trials; trial++)
        {
            var tokens = loop.Generate(Prefix, Length, draftTokens, random, verify);
            counts[Index(tokens)]++;
        }

        return counts;
    }

    /// <summary>P(t1, t2, t3) = p(t1 | prefix) p(t2 | prefix, t1) p(t3 | prefix, t1, t2), by enumeration.</summary>
    private static double[] TargetJoint()
    {
        var sampler = new TokenSampler(TargetOptions, new DeterministicRandom(0));
        var joint = new double[(int)Math.Pow(Vocabulary, Length)];
        var row = new float[Vocabulary];
        var p = new double[Vocabulary];
        for (var outcome = 0; outcome < joint.Length; outcome++)
        {
            var history = new List<long>(Prefix);
            var probability = 1.0;
            var rest = outcome;
            for (var position = 0; position < Length; position++)
            {
                var token = rest % Vocabulary;
                rest /= Vocabulary;
                Target.LogitsInto(history, row);
                sampler.ProbabilitiesInto(row, history.ToArray(), p);
                probability *= p[token];
                history.Add(token);
            }

            joint[outcome] = probability;
        }

        return joint;
    }

    /// <summary>The first token is the lowest digit, as <see cref="TargetJoint"/> decodes it.</summary>
    private static int Index(long[] tokens)
    {
        var index = 0;
        for (var position = Length - 1; position >= 0; position--)
        {
            index = (index * Vocabulary) + (int)tokens[position];
        }

        return index;
    }
}
