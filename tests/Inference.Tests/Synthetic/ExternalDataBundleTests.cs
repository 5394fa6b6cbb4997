using Sawt.Inference.Bundles;
using Sawt.Inference.Synthetic;

namespace Sawt.Inference.Tests.Synthetic;

/// <summary>Bundles whose weights live in .onnx_data sidecars, as the real exports' do.</summary>
[Trait("Category", "Unit")]
public sealed class ExternalDataBundleTests : IDisposable
{
    private readonly string _directory = TinyBundleFixture.NewTempDirectory();

    public ExternalDataBundleTests()
    {
        SyntheticBundleGenerator.Generate(_directory, SyntheticBundleOptions.Tiny with { UseExternalData = true, Seed = 99 });
    }

    [Fact]
    public async Task Load_WithSidecars_SynthesizesLikeInlineWeights()
    {
        foreach (var graph in new[] { "speech_encoder", "embed_tokens", "language_model", "conditional_decoder" })
        {
            Assert.True(File.Exists(Path.Combine(_directory, "onnx", graph + ".onnx_data")), graph);
        }

        using var engine = TtsEngine.Load(_directory, new TtsEngineOptions { Bundle = TinyBundleFixture.CpuBundle });
        var result = await engine.SynthesizeAsync(new SynthesisRequest("Sidecars hold the weights.", "en", Sampling: new() { Seed = 4 }), cancellationToken: TestContext.Current.CancellationToken);
        Assert.NotEmpty(result.SpeechTokens);

        var inline = TinyBundleFixture.NewTempDirectory();
        try
        {
            SyntheticBundleGenerator.Generate(inline, SyntheticBundleOptions.Tiny with { Seed = 99 });
            using var inlineEngine = TtsEngine.Load(inline, new TtsEngineOptions { Bundle = TinyBundleFixture.CpuBundle });
            var same = await inlineEngine.SynthesizeAsync(new SynthesisRequest("Sidecars hold the weights.", "en", Sampling: new() { Seed = 4 }), cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal(same.SpeechTokens, result.SpeechTokens);
        }
        finally
        {
            TinyBundleFixture.DeleteQuietly(inline);
        }
    }

    [Fact]
    public void Load_MissingSidecar_GraphCorruptNamingTheGraph()
    {
        File.Delete(Path.Combine(_directory, "onnx", "language_model.onnx_data"));
        var error = Assert.Throws<InferenceException>(() => ModelBundle.Load(_directory, TinyBundleFixture.CpuBundle));
        Assert.Equal(InferenceErrorCode.BundleGraphCorrupt, error.Code);
        Assert.Contains("language_model.onnx", error.Message, StringComparison.Ordinal);
        Assert.Contains(".onnx_data", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => TinyBundleFixture.DeleteQuietly(_directory);
}
