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

        Assert.Equal((500, 50, TimeSpan.FromSeconds(5)), (settings.Contexts, settings.Sockets, settings.Ramp));
        Assert.Equal(["busy"], settings.RetryCodes);
        Assert.Null(settings.Url);
    }

    [Fact]
    public void Parse_UrlAndSize_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => BenchCommandLine.ParseLoadSettings(["--url", "http://localhost:8080/", "--size", "mid"]));
    }

    [Fact]
    public void Parse_RetryCodes_AddToBusy()
    {
        var settings = BenchCommandLine.ParseLoadSettings(["--retry-busy", "--retry-code", "unavailable"]);

        Assert.Equal(["busy", "unavailable"], settings.RetryCodes);
        Assert.Empty(BenchCommandLine.ParseLoadSettings([]).RetryCodes);
    }
}
