using Sawt.Bench.Engine;

namespace Sawt.Bench.Tests;

/// <summary>How the engine and streaming benches choose their bundles from <c>--sizes</c> and <c>--model</c>.</summary>
[Trait("Category", "Unit")]
public sealed class BenchCommandLineTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sawt-bench-args-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Engine_NoSizesNoModel_MeasuresTheDefaultSyntheticSizes()
    {
        var settings = BenchCommandLine.ParseEngineSettings([]);

        Assert.Equal(["tiny", "mid"], settings.Bundles.Select(b => b.Name));
        Assert.All(settings.Bundles, b => Assert.Null(b.ModelDirectory));
    }

    [Fact]
    public void Engine_ModelOnly_MeasuresThatDirectoryAloneLabelledByItsName()
    {
        var model = NewDirectory("chatterbox-multilingual-ONNX");

        var settings = BenchCommandLine.ParseEngineSettings(["--model", model + Path.DirectorySeparatorChar, "--batch", "1,4"]);

        var bundle = Assert.Single(settings.Bundles);
        Assert.Equal("chatterbox-multilingual-ONNX", bundle.Name);
        Assert.Equal(model, bundle.ModelDirectory);
        Assert.Null(bundle.Size);
        Assert.Equal([1, 4], settings.BatchSizes);
    }

    [Fact]
    public void Engine_SizesAndModels_SyntheticFirstThenEachModelInOrder()
    {
        var first = NewDirectory("real-q4");
        var second = NewDirectory("real-fp32");

        var settings = BenchCommandLine.ParseEngineSettings(["--sizes", "tiny", "--model", first, "--model", second]);

        Assert.Equal(["tiny", "real-q4", "real-fp32"], settings.Bundles.Select(b => b.Name));
        Assert.NotNull(settings.Bundles[0].Size);
        Assert.Equal([null, first, second], settings.Bundles.Select(b => b.ModelDirectory));
    }

    [Fact]
    public void Engine_MissingModelDirectory_IsAnArgumentError()
    {
        var missing = Path.Combine(_root, "nowhere");

        var error = Assert.Throws<ArgumentException>(() => BenchCommandLine.ParseEngineSettings(["--model", missing]));

        Assert.Contains("--model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Engine_TwoBundlesWithOneName_IsAnArgumentError()
    {
        var a = NewDirectory(Path.Combine("a", "bundle"));
        var b = NewDirectory(Path.Combine("b", "bundle"));

        var error = Assert.Throws<ArgumentException>(() => BenchCommandLine.ParseEngineSettings(["--model", a, "--model", b]));

        Assert.Contains("'bundle'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Engine_ModelNamedLikeASize_CollidesWithThatSize()
    {
        var tiny = NewDirectory("tiny");

        Assert.Throws<ArgumentException>(() => BenchCommandLine.ParseEngineSettings(["--sizes", "tiny,mid", "--model", tiny]));
    }

    [Fact]
    public void Engine_UnknownSize_IsAnArgumentError()
    {
        Assert.Throws<ArgumentException>(() => BenchCommandLine.ParseEngineSettings(["--sizes", "huge"]));
    }

    [Fact]
    public void Engine_NotANumberOfSteps_IsAnArgumentError()
    {
        Assert.Throws<ArgumentException>(() => BenchCommandLine.ParseEngineSettings(["--steps", "many"]));
    }

    [Fact]
    public void Streaming_ModelWithSizes_MeasuresBoth()
    {
        var model = NewDirectory("exported");

        var settings = BenchCommandLine.ParseStreamingSettings(["--model", model, "--sizes", "mid", "--schedules", "10-25"]);

        Assert.Equal(["mid", "exported"], settings.Bundles.Select(b => b.Name));
        Assert.Equal([10, 25], Assert.Single(settings.Schedules));
    }

    [Fact]
    public void Streaming_ModelOnly_NoSyntheticSizes()
    {
        var model = NewDirectory("exported");

        var settings = BenchCommandLine.ParseStreamingSettings(["--model", model]);

        Assert.Equal("exported", Assert.Single(settings.Bundles).Name);
    }

    [Fact]
    public void SingleBundle_ModelOnly_IsThatDirectory()
    {
        var model = NewDirectory("exported");

        var choice = BenchBundleChoice.FromSizeOrModel(null, model, "tiny");

        Assert.Equal(("exported", model), (choice.Name, choice.ModelDirectory));
    }

    [Fact]
    public void SingleBundle_Neither_IsTheDefaultSize()
    {
        var choice = BenchBundleChoice.FromSizeOrModel(null, null, "tiny");

        Assert.Equal("tiny", choice.Name);
        Assert.NotNull(choice.Size);
    }

    [Fact]
    public void SingleBundle_SizeAndModel_IsAnArgumentError()
    {
        var model = NewDirectory("exported");

        Assert.Throws<ArgumentException>(() => BenchBundleChoice.FromSizeOrModel("mid", model, "tiny"));
    }

    [Fact]
    public void RawLoopBatches_BatchOneThenEachEngineSizeOnce()
    {
        Assert.Equal([1, 4, 8], EngineBench.RawLoopBatches([4, 8]));
        Assert.Equal([1, 2], EngineBench.RawLoopBatches([2, 1, 2]));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private string NewDirectory(string relative)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(path);
        return path;
    }
}
