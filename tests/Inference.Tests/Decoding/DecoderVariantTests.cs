using Onnx;
using Sawt.Inference.Bundles;
using Sawt.Inference.Decoding;
using Sawt.Inference.Synthetic;

namespace Sawt.Inference.Tests.Decoding;

[Trait("Category", "Unit")]
public sealed class DecoderVariantTests(DecoderVariantsFixture variants, TinyBundleFixture v1) : IClassFixture<DecoderVariantsFixture>
{
    private static readonly long[] Tokens = [5, 900, 1700, 42, 3000, 6000, 77, 1234];

    [Fact]
    public void Load_ConfiguredVariants_LoadsEachInOrderWithItsSchedule()
    {
        var loaded = variants.Engine.Decoder.Variants;
        Assert.Equal(DecoderVariantsFixture.ConfiguredVariants, loaded.Select(v => v.Variant));
        Assert.Equal(["cfm-6", "cfm-4", "cfm-10", "meanflow-2"], loaded.Select(v => v.Schedule.Label));
        Assert.Equal("n6", variants.Engine.Decoder.Default.Variant);
        Assert.EndsWith("conditional_decoder_n4.onnx", loaded[1].Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NothingConfigured_TakesN6FromAV2Bundle()
    {
        using var bundle = ModelBundle.Load(variants.Directory, TinyBundleFixture.CpuBundle);
        Assert.Equal("n6", Assert.Single(bundle.Decoders).Variant);
    }

    [Fact]
    public void Load_V1Bundle_PlainDecoderIsTenFlowMatchingSteps()
    {
        var decoder = Assert.Single(v1.Engine.Decoder.Variants);
        Assert.Equal("fp32", decoder.Variant);
        Assert.Equal(DecoderSchedule.V1, decoder.Schedule);
    }

    [Fact]
    public void Load_UnknownVariant_InvalidOptionsNamingTheKnownOnes()
    {
        var error = Assert.Throws<InferenceException>(() => ModelBundle.Load(variants.Directory, TinyBundleFixture.CpuBundle with { DecoderVariants = ["n8"] }));
        Assert.Equal(InferenceErrorCode.InvalidOptions, error.Code);
        Assert.Contains("'n8'", error.Message, StringComparison.Ordinal);
        Assert.Contains("n6", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ConfiguredVariantAbsent_BundleFileMissingNamingTheFile()
    {
        var error = Assert.Throws<InferenceException>(() => ModelBundle.Load(variants.Directory, TinyBundleFixture.CpuBundle with { DecoderVariants = ["n6", "q4"] }));
        Assert.Equal(InferenceErrorCode.BundleFileMissing, error.Code);
        Assert.Contains("conditional_decoder_q4.onnx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_VariantConfiguredTwice_InvalidOptions()
    {
        var error = Assert.Throws<InferenceException>(() => ModelBundle.Load(variants.Directory, TinyBundleFixture.CpuBundle with { DecoderVariants = ["n6", "N6"] }));
        Assert.Equal(InferenceErrorCode.InvalidOptions, error.Code);
    }

    [Theory]
    [InlineData(DecoderQuality.Fast, "fp32")] // MeanFlow, 2 estimator calls, fewer than n4's 8
    [InlineData(DecoderQuality.Balanced, "n6")] // the configured default
    [InlineData(DecoderQuality.Best, "n10")]
    public void Select_Tier_MapsToLoadedVariant(DecoderQuality quality, string expected) =>
        Assert.Equal(expected, variants.Engine.Decoder.Select(quality).Variant);

    [Fact]
    public void Select_OneVariantLoaded_EveryTierGetsIt()
    {
        var decoder = v1.Engine.Decoder;
        Assert.All(Enum.GetValues<DecoderQuality>(), q => Assert.Same(decoder.Default, decoder.Select(q)));
    }

    [Theory]
    [InlineData(null, DecoderQuality.Balanced)]
    [InlineData("fast", DecoderQuality.Fast)]
    [InlineData("balanced", DecoderQuality.Balanced)]
    [InlineData("best", DecoderQuality.Best)]
    public void ParseQuality_KnownNames_Map(string? name, DecoderQuality expected) => Assert.Equal(expected, DecoderQualityNames.Parse(name));

    [Theory]
    [InlineData("turbo")]
    [InlineData("Fast")]
    [InlineData("")]
    public void ParseQuality_Unknown_InvalidOptionsNamingTheTiers(string name)
    {
        var error = Assert.Throws<InferenceException>(() => DecoderQualityNames.Parse(name));
        Assert.Equal(InferenceErrorCode.InvalidOptions, error.Code);
        Assert.Contains("fast, balanced, best", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_EachVariant_LoudnessFollowsItsStepCount()
    {
        // The synthetic flow gain (SyntheticDecoderGraph): prod_k (1 + g dt_k) over the schedule's grid, g = 1.35 with
        // guidance and 1 without, relative to 10 guided cosine steps. Computed here from the contract's schedules.
        static double Gain(DecoderKind kind, int steps)
        {
            var rate = kind == DecoderKind.FlowMatching ? 1.7 - (0.7 * 0.5) : 1.0;
            double Time(int k) => kind == DecoderKind.FlowMatching ? 1 - Math.Cos(Math.PI / 2 * k / steps) : (double)k / steps;
            return Enumerable.Range(0, steps).Aggregate(1.0, (g, k) => g * (1 + (rate * (Time(k + 1) - Time(k)))));
        }

        var decoder = variants.Engine.Decoder;
        var voice = variants.Engine.DefaultVoice;
        var reference = Rms(decoder.Decode(voice, Tokens, decoder.Variants.Single(v => v.Variant == "n10"), TestContext.Current.CancellationToken));
        var ratios = new List<double>();
        foreach (var variant in decoder.Variants)
        {
            var audio = decoder.Decode(voice, Tokens, variant, TestContext.Current.CancellationToken);
            Assert.Equal(Tokens.Select(t => t % SyntheticLayout.ToneCount), ToneAnalysis.DetectTones(audio));
            var ratio = Rms(audio) / reference;
            var expected = Gain(variant.Schedule.Kind, variant.Schedule.Steps) / Gain(DecoderKind.FlowMatching, 10);
            Assert.InRange(ratio, expected - 1e-4, expected + 1e-4);
            ratios.Add(ratio);
        }

        // Every schedule is told apart by its loudness.
        Assert.Equal(ratios.Count, ratios.Select(r => Math.Round(r, 3)).Distinct().Count());
    }

    [Fact]
    public void Graph_EachVariant_RunsOneEstimatorPerStep()
    {
        foreach (var variant in variants.Engine.Decoder.Variants)
        {
            var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(variant.Path));
            // One estimator MLP (one ReLU) per Euler step, unrolled; guided steps run it on the stacked cond/uncond pair.
            Assert.Equal(variant.Schedule.Steps, model.Graph.Node.Count(n => n.OpType == "Relu"));
        }
    }

    private static double Rms(float[] audio) => Math.Sqrt(audio.Skip(ChatterboxConstants.SamplesPerToken).Average(s => (double)s * s));
}
