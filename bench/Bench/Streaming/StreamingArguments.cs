using System.CommandLine;
using Sawt.Bench.Engine;

namespace Sawt.Bench.Streaming;

/// <summary>The streaming bench's options, shared by the command and by <see cref="BenchCommandLine.ParseStreamingSettings"/>.</summary>
internal sealed class StreamingArguments
{
    private const string DefaultSizes = "tiny,mid";

    public Option<string?> Sizes { get; } = new("--sizes") { Description = $"Comma-separated synthetic bundle sizes: tiny, mid, real. Default {DefaultSizes}, or none when --model is given." };

    public Option<string[]> Models { get; } = new("--model") { HelpName = "DIR", Description = "A bundle directory to measure as it is (repeatable; real exports included); its rows are labelled with the directory name. Combines with --sizes.", Arity = ArgumentArity.ZeroOrMore };

    public Option<string> Schedules { get; } = new("--schedules") { Description = "Comma-separated chunk schedules, each dash-separated token counts (the last repeats).", DefaultValueFactory = _ => "10-25-50,25-50,50,5-10-25" };

    public Option<int> Repeat { get; } = new("--repeat") { Description = "Timed runs per measurement (median and p90 over these).", DefaultValueFactory = _ => 3 };

    public Option<int> Threads { get; } = new("--threads") { Description = "ONNX Runtime intra-op threads; 0 = one per logical core.", DefaultValueFactory = _ => 0 };

    public Option<string?> OutPath { get; } = new("--out") { HelpName = "FILE", Description = "Markdown file whose streaming section is written or replaced, e.g. docs/benchmarks.md." };

    public Option<string?> JsonPath { get; } = new("--json") { HelpName = "FILE", Description = "JSON file written (replaced whole) with every table's rows, the settings, and the machine, runtime and date." };

    public Command CreateCommand() => new("streaming", "Streaming on CPU: time to first audio, gaps and stalls per chunk schedule, against one call; seams; incremental text.")
    {
        Sizes, Models, Schedules, Repeat, Threads, OutPath, JsonPath,
    };

    public StreamingBenchSettings Settings(ParseResult parse) => new()
    {
        Bundles = EngineBenchSettings.ChooseBundles(parse.GetValue(Sizes), parse.GetValue(Models) ?? [], DefaultSizes),
        Schedules = BenchCommandLine.SplitList(parse.GetValue(Schedules)!, "--schedules").Select(StreamingBenchSettings.ParseSchedule).ToArray(),
        Repeat = BenchCommandLine.RequirePositive(parse.GetValue(Repeat), "--repeat"),
        IntraOpThreads = parse.GetValue(Threads) is > 0 and var t ? t : Environment.ProcessorCount,
    };
}
