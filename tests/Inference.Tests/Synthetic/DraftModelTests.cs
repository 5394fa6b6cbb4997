using Sawt.Inference.Bundles;
using Sawt.Inference.Generation;
using Sawt.Inference.Sampling;
using Sawt.Inference.Synthetic;

namespace Sawt.Inference.Tests.Synthetic;

/// <summary>The draft LM shares the target's vocabulary and interface, and agrees with it as much as asked.</summary>
[Trait("Category", "Unit")]
public sealed class DraftModelTests(TinyBundleFixture bundle)
{
    [Fact]
    public void Draft_FullAgreement_SameLogitsAsTarget()
    {
        var directory = TinyBundleFixture.NewTempDirectory();
        try
        {
            SyntheticBundleGenerator.Generate(directory, SyntheticBundleOptions.Tiny with { DraftAgreement = 1.0 });
            using var loaded = ModelBundle.Load(directory, TinyBundleFixture.CpuBundle);
            var (target, draft) = LastLogits(loaded);
            Assert.Equal(target, draft);
        }
        finally
        {
            TinyBundleFixture.DeleteQuietly(directory);
        }
    }

    [Fact]
    public void Draft_FewerLayers_IsTheTargetsFirstLayersAndSpeculatesLosslessly()
    {
        var directory = TinyBundleFixture.NewTempDirectory();
        try
        {
            SyntheticBundleGenerator.Generate(directory, SyntheticBundleOptions.Tiny with { Layers = 3, DraftAgreement = 1.0, DraftLayers = 1 });
            using var loaded = ModelBundle.Load(directory, TinyBundleFixture.CpuBundle);
            Assert.Equal(3, loaded.LanguageModelInfo.Layers);
            Assert.Equal(1, loaded.DraftLanguageModelInfo!.Layers);

            // Greedy: whatever the shallow draft proposes, the tokens are the target's own.
            var plain = Greedy(new T3BatchExecutor(loaded));
            var speculative = Greedy(new T3BatchExecutor(loaded, new SpeculativeOptions { Enabled = true, MaxDraftTokens = 3 }));
            Assert.Equal(plain.Tokens, speculative.Tokens);
            Assert.True(speculative.Speculation!.Rounds > 0);
        }
        finally
        {
            TinyBundleFixture.DeleteQuietly(directory);
        }
    }

    [Fact]
    public void Draft_HigherAgreement_ArgmaxAgreesMoreOften()
    {
        var high = ArgmaxAgreement(0.9);
        var low = ArgmaxAgreement(0.1);
        Assert.True(high > low, $"agreement 0.9 matched {high:P0} of argmaxes, 0.1 matched {low:P0}");
        Assert.True(high >= 0.5, $"agreement 0.9 matched only {high:P0}");
    }

    private double ArgmaxAgreement(double agreement)
    {
        var directory = TinyBundleFixture.NewTempDirectory();
        try
        {
            SyntheticBundleGenerator.Generate(directory, SyntheticBundleOptions.Tiny with { DraftAgreement = agreement });
            using var loaded = ModelBundle.Load(directory, TinyBundleFixture.CpuBundle);
            var target = new T3BatchExecutor(loaded);
            var draft = new T3BatchExecutor(loaded, useDraftModel: true);
            var matches = 0;
            const int trials = 12;
            for (var t = 0; t < trials; t++)
            {
                var text = $"Trial number {t} checks how often the draft agrees.";
                var a = Run(target, text, (ulong)t);
                var b = Run(draft, text, (ulong)t);
                matches += Argmax(a) == Argmax(b) ? 1 : 0;
            }

            return (double)matches / trials;
        }
        finally
        {
            TinyBundleFixture.DeleteQuietly(directory);
        }
    }

    private (float[] Target, float[] Draft) LastLogits(ModelBundle loaded) =>
        (Run(new T3BatchExecutor(loaded), "Same text for both.", 1), Run(new T3BatchExecutor(loaded, useDraftModel: true), "Same text for both.", 1));

    private float[] Run(T3BatchExecutor executor, string text, ulong seed)
    {
        var sequence = executor.CreateSequence(new GenerationRequest(bundle.Engine.Tokenizer.Encode(text, "en"), bundle.Engine.DefaultVoice, new SamplingOptions { Seed = seed, CfgWeight = 0 }));
        executor.Prefill([sequence], TestContext.Current.CancellationToken);
        return sequence.LastLogits!;
    }

    private T3Sequence Greedy(T3BatchExecutor executor)
    {
        var sequence = executor.CreateSequence(new GenerationRequest(bundle.Engine.Tokenizer.Encode("A shallow draft still speaks for the target.", "en"), bundle.Engine.DefaultVoice, new SamplingOptions { Seed = 1, Temperature = 0f }));
        executor.Prefill([sequence], TestContext.Current.CancellationToken);
        while (!sequence.IsFinished)
        {
            executor.Step([sequence], TestContext.Current.CancellationToken);
        }

        return sequence;
    }

    private static int Argmax(float[] logits)
    {
        var best = 0;
        for (var i = 1; i < ChatterboxConstants.SpeechCodebookSize; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }

        return best;
    }
}
