using System.CommandLine;

namespace Sawt.Bench.Engine;

/// <summary>The engine bench's options, shared by the command and by <see cref="BenchCommandLine.ParseEngineSettings"/>.</summary>
internal sealed class EngineArguments
{
    private const string DefaultSizes = "tiny,mid";

    public Option<string?> Sizes { get; } = new("--sizes") { Description = $"Comma-separated synthetic bundle sizes: tiny, mid, real. Default {DefaultSizes}, or none when --model is given." };

    public Option<string[]> Models { get; } = new("--model") { HelpName = "DIR", Description = "A bundle directory to measure as it is (repeatable; real exports included); its rows are labelled with the directory name. Combines with --sizes.", Arity = ArgumentArity.ZeroOrMore };

    public Option<string> Batches { get; } = new("--batch") { Description = "Comma-separated decode batch sizes (sequences); the raw ORT loop runs batch 1 and these.", DefaultValueFactory = _ => "1,4,8" };

    public Option<int> Steps { get; } = new("--steps") { Description = "Timed decode steps per run.", DefaultValueFactory = _ => 64 };

    public Option<int> Repeat { get; } = new("--repeat") { Description = "Timed runs per measurement (median and p90 over these).", DefaultValueFactory = _ => 3 };

    public Option<int> Threads { get; } = new("--threads") { Description = "ONNX Runtime intra-op threads; 0 = one per logical core.", DefaultValueFactory = _ => 0 };

    public Option<string?> OutPath { get; } = new("--out") { HelpName = "FILE", Description = "Markdown file whose engine section is written or replaced, e.g. docs/benchmarks.md." };

    public Option<string?> JsonPath { get; } = new("--json") { HelpName = "FILE", Description = "JSON file written (replaced whole) with every table's rows, the settings, and the machine, runtime and date." };

    public Command CreateCommand() => new("engine", "Engine on CPU: time to first token, decode-step throughput per batch size against a raw ONNX Runtime loop on the same LM, decoder time, whole-utterance RTF.")
    {
        Sizes, Models, Batches, Steps, Repeat, Threads, OutPath, JsonPath,
    };

    public EngineBenchSettings Settings(ParseResult parse) => new()
    {
        Bundles = EngineBenchSettings.ChooseBundles(parse.GetValue(Sizes), parse.GetValue(Models) ?? [], DefaultSizes),
        BatchSizes = BenchCommandLine.SplitList(parse.GetValue(Batches)!, "--batch").Select(b => BenchCommandLine.ParsePositive(b, "--batch")).ToArray(),
        Steps = BenchCommandLine.RequirePositive(parse.GetValue(Steps), "--steps"),
        Repeat = BenchCommandLine.RequirePositive(parse.GetValue(Repeat), "--repeat"),
        IntraOpThreads = parse.GetValue(Threads) is > 0 and var t ? t : Environment.ProcessorCount,
    };
}
