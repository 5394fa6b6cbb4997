using Sawt.Inference.Bundles;
using Sawt.Inference.Generation;

namespace Sawt.Inference.Tests.Generation;

/// <summary>
/// Resident caches: a running batch keeps the graph's presents as its pasts and gathers only when its membership
/// changes. Whatever joins or leaves, and when, each sequence must get exactly the tokens it gets alone with the same
/// seed, and nothing native may outlive the sequences.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ResidentBatchTests(TinyBundleFixture bundle)
{
    private const int StepsAloneBeforeJoin = 3;
    private const int StepsBeforeLeave = 4;
    private const int StepsAfterLeave = 3;

    private static readonly Speaker[] Speakers =
    [
        new("A long first sentence that keeps speaking while the others come and go around it.", "en", Seed: 11, CfgWeight: 0.5f),
        new("Short one.", "en", Seed: 12, CfgWeight: 0f),
        new("مرحبا بكم في سوت، هذه جملة عربية متوسطة الطول.", "ar", Seed: 13, CfgWeight: 0.5f),
        new("A late joiner with a sentence of its own.", "en", Seed: 14, CfgWeight: 0f),
    ];

    [Fact]
    public void JoinAndLeaveMidRun_EachGetsTheTokensItGetsAlone()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var ownBundle = ModelBundle.Load(bundle.Directory, TinyBundleFixture.CpuBundle); // its ledger sees only this test
        var executor = new T3BatchExecutor(ownBundle);
        var (a, b, c, d) = (New(executor, Speakers[0]), New(executor, Speakers[1]), New(executor, Speakers[2]), New(executor, Speakers[3]));

        executor.Prefill([a], cancellationToken);
        Steps(executor, [a], StepsAloneBeforeJoin);
        executor.Prefill([b, c], cancellationToken); // two join a running batch
        Steps(executor, [a, b, c], StepsBeforeLeave);
        Assert.True(T3BatchExecutor.CacheBytes([a, b, c]) > 0);
        executor.Release(c); // c leaves mid-run, unfinished, as a cancelled sequence does
        Steps(executor, [a, b], StepsAfterLeave);
        executor.Prefill([d], cancellationToken); // one more joins after the leave
        Steps(executor, [a, b, d], int.MaxValue);

        Assert.All(new[] { a, b, d }, s => Assert.True(s.IsFinished));
        Assert.False(c.IsFinished);
        Assert.Equal(0, T3BatchExecutor.CacheBytes([a, b, c, d]));
        Assert.Equal(0, ownBundle.Ledger.LiveValues); // every batch, the gathered ones included, was freed

        AssertSameAsAlone(executor, Speakers[0], a);
        AssertSameAsAlone(executor, Speakers[1], b);
        AssertSameAsAlone(executor, Speakers[2], c);
        AssertSameAsAlone(executor, Speakers[3], d);
    }

    [Fact]
    public void Step_ReleasedSequence_IsRefused()
    {
        var executor = new T3BatchExecutor(bundle.Engine.Bundle);
        var sequence = New(executor, Speakers[0]);
        executor.Prefill([sequence], TestContext.Current.CancellationToken);
        executor.Release(sequence);

        Assert.Throws<InvalidOperationException>(() => executor.Step([sequence], TestContext.Current.CancellationToken));
    }

    /// <summary>Runs the same speaker alone, as far as the batched one got, and compares tokens and stop.</summary>
    private void AssertSameAsAlone(T3BatchExecutor executor, Speaker speaker, T3Sequence batched)
    {
        var alone = New(executor, speaker);
        executor.Prefill([alone], TestContext.Current.CancellationToken);
        while (!alone.IsFinished && (batched.IsFinished || alone.Tokens.Count < batched.Tokens.Count))
        {
            executor.Step([alone], TestContext.Current.CancellationToken);
        }

        Assert.Equal(alone.Tokens, batched.Tokens);
        if (batched.IsFinished)
        {
            Assert.Equal(alone.StopReason, batched.StopReason);
        }

        executor.Release(alone);
    }

    private static void Steps(T3BatchExecutor executor, T3Sequence[] sequences, int steps)
    {
        for (var s = 0; s < steps && sequences.Any(q => !q.IsFinished); s++)
        {
            executor.Step(sequences, TestContext.Current.CancellationToken);
        }
    }

    private T3Sequence New(T3BatchExecutor executor, Speaker speaker) =>
        executor.CreateSequence(new GenerationRequest(
            bundle.Engine.Tokenizer.Encode(speaker.Text, speaker.Language),
            bundle.Engine.DefaultVoice,
            new Sawt.Inference.Sampling.SamplingOptions { Seed = speaker.Seed, CfgWeight = speaker.CfgWeight }));

    private sealed record Speaker(string Text, string Language, ulong Seed, float CfgWeight);
}
