using Sawt.Bench.Engine;
using Sawt.Bench.Load;

namespace Sawt.Bench.Tests.Load;

/// <summary>The load bench's options and how it cuts its text.</summary>
[Trait("Category", "Unit")]
public sealed class LoadSettingsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Pieces_Concatenated_AreTheText(int words)
    {
        var settings = new LoadBenchSettings { Bundle = BenchBundleChoice.Synthetic(EngineBenchSettings.ParseSize("tiny")), WordsPerPiece = words };

        var pieces = settings.Pieces();

        Assert.Equal(LoadBenchSettings.DefaultText, string.Concat(pieces));
        Assert.Equal((12 + words - 1) / words, pieces.Count);
    }

    [Fact]
    public void Parse_FiveHundredContextsTenPerSocket_IsFiftySockets()
    {
        var settings = BenchCommandLine.ParseLoadSettings(["--contexts", "500", "--contexts-per-socket", "10", "--retry-busy", "--ramp-s", "5"]);

        Assert.Equal((500, 50, true, TimeSpan.FromSeconds(5)), (settings.Contexts, settings.Sockets, settings.RetryBusy, settings.Ramp));
        Assert.Null(settings.Url);
    }

    [Fact]
    public void Parse_UrlAndSize_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => BenchCommandLine.ParseLoadSettings(["--url", "http://localhost:8080/", "--size", "mid"]));
    }
}
