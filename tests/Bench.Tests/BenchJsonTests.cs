using System.Text.Json;
using Sawt.Bench.Engine;
using Sawt.Bench.Reporting;
using Sawt.Bench.Streaming;
using Sawt.Inference.Sampling;
using Sawt.Inference.Streaming;

namespace Sawt.Bench.Tests;

/// <summary>What <c>--json</c> writes: every row and the run's metadata, readable back, with derived columns present.</summary>
[Trait("Category", "Unit")]
public sealed class BenchJsonTests
{
    private static readonly MachineFacts Machine = new("Test CPU", 2, "4.0 GiB", "Linux", ".NET 10", "1.31.0", new DateTimeOffset(2026, 11, 30, 7, 0, 0, TimeSpan.Zero), "0.50 0.40 0.30");

    [Fact]
    public void EngineDocument_RoundTrip_KeepsEveryRowAndTheMetadata()
    {
        var document = new BenchJsonDocument<EngineBenchReport>("engine", "dotnet run -- engine", "Release", Machine, "0.70 0.50 0.40", EngineReport());

        var json = BenchJson.Serialize(document, BenchJsonContext.Default.BenchJsonDocumentEngineBenchReport);
        var back = JsonSerializer.Deserialize(json, BenchJsonContext.Default.BenchJsonDocumentEngineBenchReport)!;

        Assert.Equal(json, BenchJson.Serialize(back, BenchJsonContext.Default.BenchJsonDocumentEngineBenchReport));
        Assert.Equal(Machine, back.Machine);
        var bundle = Assert.Single(back.Report.Bundles);
        Assert.Equal("my-export", bundle.Name);
        Assert.Null(bundle.GenerateSeconds);
        Assert.Equal([1, 4], bundle.RawLoop.Select(r => r.Batch));
        Assert.Equal(2.5, bundle.RawLoop[0].MillisecondsPerStep.Median);
        Assert.Equal([StopReason.EndOfSpeech, StopReason.StepCap], bundle.Decode[1].StoppedEarly);
        Assert.Equal(double.PositiveInfinity, bundle.Decode[1].MillisecondsPerToken.P90);
    }

    [Fact]
    public void EngineDocument_Json_CarriesTheOverheadColumnAndNamedStops()
    {
        var document = new BenchJsonDocument<EngineBenchReport>("engine", "dotnet run -- engine", "Release", Machine, "0.70 0.50 0.40", EngineReport());

        using var json = JsonDocument.Parse(BenchJson.Serialize(document, BenchJsonContext.Default.BenchJsonDocumentEngineBenchReport));

        var bundle = json.RootElement.GetProperty("report").GetProperty("bundles")[0];
        var overhead = bundle.GetProperty("overhead").EnumerateArray().ToList();
        Assert.Equal([1, 4], overhead.Select(o => o.GetProperty("batch").GetInt32()));
        Assert.Equal(4.0 - 2.5, overhead[0].GetProperty("overheadMillisecondsPerStep").GetDouble(), 9);
        Assert.Equal(4.0 / 2.5, overhead[0].GetProperty("timePerTokenRatio").GetDouble(), 9);
        Assert.Equal("EndOfSpeech", bundle.GetProperty("decode")[1].GetProperty("stoppedEarly")[0].GetString());
        Assert.Equal("2026-11-30T07:00:00+00:00", json.RootElement.GetProperty("machine").GetProperty("date").GetString());
    }

    [Fact]
    public void StreamingDocument_RoundTrip_KeepsEveryRow()
    {
        var settings = new StreamingBenchSettings
        {
            Bundles = [BenchBundleChoice.Synthetic(EngineBenchSettings.ParseSize("tiny"))],
            Schedules = [[10, 25, 50], [50]],
            Repeat = 3,
            IntraOpThreads = 2,
        };
        var s = new Reporting.Summary(10, 12, 3);
        var report = new StreamingBenchReport(settings,
        [
            new StreamingBundleMeasurements("tiny", "tiny (2 x 64, 4 heads), synthetic", 0.5, 1.0,
                [new ScheduleMeasurement("en", [10, 25, 50], 2, 5, 100, 4.0, s, s, s, s, s, s, s, s, s)],
                [new OneCallMeasurement("en", 100, 4.0, s, s)],
                [new SeamMeasurement("en", new SeamReport(1, 0.01, 0.02, 0.5), null), new SeamMeasurement("ar", null, "not comparable")],
                [new IncrementalMeasurement("en", 20, 380, 120, s)]),
        ]);
        var document = new BenchJsonDocument<StreamingBenchReport>("streaming", "dotnet run -- streaming", "Release", Machine, "0.70 0.50 0.40", report);

        var json = BenchJson.Serialize(document, BenchJsonContext.Default.BenchJsonDocumentStreamingBenchReport);
        var back = JsonSerializer.Deserialize(json, BenchJsonContext.Default.BenchJsonDocumentStreamingBenchReport)!;

        Assert.Equal(json, BenchJson.Serialize(back, BenchJsonContext.Default.BenchJsonDocumentStreamingBenchReport));
        Assert.Equal(new SeamReport(1, 0.01, 0.02, 0.5), back.Report.Bundles[0].Seams[0].Report);
        Assert.Equal([[10, 25, 50], [50]], back.Report.Settings.Schedules.Select(x => x.ToArray()));
    }

    /// <summary>One given bundle with engine rows at batch 1 and 4 and raw rows at both; batch 4 had two sequences stop.</summary>
    private static EngineBenchReport EngineReport()
    {
        static Reporting.Summary S(double median, double p90 = double.NaN) => new(median, double.IsNaN(p90) ? median * 1.2 : p90, 3);

        var settings = new EngineBenchSettings { Bundles = [new BenchBundleChoice("my-export", null, "/models/my-export")], BatchSizes = [1, 4], Steps = 16, Repeat = 3, IntraOpThreads = 2 };
        var bundle = new BundleMeasurements(
            "my-export",
            "my-export (language_model_q4.onnx: 30 x 1024, 16 KV heads, Float16 KV cache)",
            null,
            12.5,
            [new FirstTokenMeasurement("en", 82, 20, 57, 2, S(30))],
            [
                new DecodeMeasurement(1, 2, S(30), S(4.0), S(3.8), S(4.2), S(4.0), [], 3),
                new DecodeMeasurement(4, 8, S(90), S(9.0), S(8.5), S(9.5), S(2.5, double.PositiveInfinity), [StopReason.EndOfSpeech, StopReason.StepCap], 12),
            ],
            [
                new RawLoopMeasurement(1, 2, 57, S(20), S(2.5), S(2.4), S(2.6), S(2.5)),
                new RawLoopMeasurement(4, 8, 60, S(70), S(6.0), S(5.8), S(6.2), S(1.5)),
            ],
            new DecoderMeasurement(100, 150, S(40)),
            [new UtteranceMeasurement("en", 82, 200, 8.0, StopReason.EndOfSpeech, S(30), S(800), S(40), S(0.1))]);
        return new EngineBenchReport(settings, [bundle]);
    }
}
