using System.CommandLine;
using System.Globalization;
using Sawt.Bench.Cluster;
using Sawt.Bench.Engine;
using Sawt.Bench.Reporting;
using Sawt.Bench.Streaming;
using Sawt.Bench.Voices;
using Sawt.Inference;

namespace Sawt.Bench;

/// <summary>The bench command tree; one subcommand per bench, each able to write its own section of docs/benchmarks.md.</summary>
internal static class BenchCommandLine
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Sawt benchmarks on synthetic bundles (random weights, real graph contract).")
        {
            CreateEngineCommand(args, output, error),
            CreateStreamingCommand(args, output, error),
            CreateClusterCommand(args, output, error),
            CreateVoicesCommand(args, output, error),
        };
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return await root.Parse(args).InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    private static Command CreateEngineCommand(string[] args, TextWriter output, TextWriter error)
    {
        var sizes = new Option<string>("--sizes") { Description = "Comma-separated synthetic bundle sizes: tiny, mid, real.", DefaultValueFactory = _ => "tiny,mid" };
        var batches = new Option<string>("--batch") { Description = "Comma-separated decode batch sizes (sequences).", DefaultValueFactory = _ => "1,4,8" };
        var steps = new Option<int>("--steps") { Description = "Timed decode steps per run.", DefaultValueFactory = _ => 64 };
        var repeat = new Option<int>("--repeat") { Description = "Timed runs per measurement (median and p90 over these).", DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads; 0 = one per logical core.", DefaultValueFactory = _ => 0 };
        var outPath = new Option<string?>("--out") { Description = "Markdown file whose engine section is written or replaced, e.g. docs/benchmarks.md." };
        var command = new Command("engine", "Engine on CPU: time to first token, decode-step throughput per batch size, decoder time, whole-utterance RTF.")
        {
            sizes, batches, steps, repeat, threads, outPath,
        };

        command.SetAction((parse, cancellationToken) => RunBenchAsync(
            "engine",
            args,
            parse.GetValue(outPath),
            output,
            error,
            () => new EngineBenchSettings
            {
                Sizes = SplitList(parse.GetValue(sizes)!, "--sizes").Select(EngineBenchSettings.ParseSize).ToArray(),
                BatchSizes = SplitList(parse.GetValue(batches)!, "--batch").Select(b => ParsePositive(b, "--batch")).ToArray(),
                Steps = RequirePositive(parse.GetValue(steps), "--steps"),
                Repeat = RequirePositive(parse.GetValue(repeat), "--repeat"),
                IntraOpThreads = parse.GetValue(threads) is > 0 and var t ? t : Environment.ProcessorCount,
            },
            settings => new EngineBench(settings, error).RunAsync(cancellationToken),
            EngineReport.Render));
        return command;
    }

    private static Command CreateStreamingCommand(string[] args, TextWriter output, TextWriter error)
    {
        var sizes = new Option<string>("--sizes") { Description = "Comma-separated synthetic bundle sizes: tiny, mid, real.", DefaultValueFactory = _ => "tiny,mid" };
        var schedules = new Option<string>("--schedules") { Description = "Comma-separated chunk schedules, each dash-separated token counts (the last repeats).", DefaultValueFactory = _ => "10-25-50,25-50,50,5-10-25" };
        var repeat = new Option<int>("--repeat") { Description = "Timed runs per measurement (median and p90 over these).", DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads; 0 = one per logical core.", DefaultValueFactory = _ => 0 };
        var outPath = new Option<string?>("--out") { Description = "Markdown file whose streaming section is written or replaced, e.g. docs/benchmarks.md." };
        var command = new Command("streaming", "Streaming on CPU: time to first audio, gaps and stalls per chunk schedule, against one call; seams; incremental text.")
        {
            sizes, schedules, repeat, threads, outPath,
        };

        command.SetAction((parse, cancellationToken) => RunBenchAsync(
            "streaming",
            args,
            parse.GetValue(outPath),
            output,
            error,
            () => new StreamingBenchSettings
            {
                Sizes = SplitList(parse.GetValue(sizes)!, "--sizes").Select(EngineBenchSettings.ParseSize).ToArray(),
                Schedules = SplitList(parse.GetValue(schedules)!, "--schedules").Select(StreamingBenchSettings.ParseSchedule).ToArray(),
                Repeat = RequirePositive(parse.GetValue(repeat), "--repeat"),
                IntraOpThreads = parse.GetValue(threads) is > 0 and var t ? t : Environment.ProcessorCount,
            },
            settings => new StreamingBench(settings, error).RunAsync(cancellationToken),
            StreamingReport.Render));
        return command;
    }

    private static Command CreateClusterCommand(string[] args, TextWriter output, TextWriter error)
    {
        var size = new Option<string>("--size") { Description = "Synthetic bundle size: tiny, mid, real.", DefaultValueFactory = _ => "tiny" };
        var concurrency = new Option<string>("--concurrency") { Description = "Comma-separated concurrent utterances per round.", DefaultValueFactory = _ => "1,8,32" };
        var repeat = new Option<int>("--repeat") { Description = "Timed rounds per concurrency.", DefaultValueFactory = _ => 3 };
        var topologies = new Option<string>("--topologies") { Description = "Comma-separated topologies measured side by side: embedded (in-process), standalone (silo and gateway processes).", DefaultValueFactory = _ => "embedded,standalone" };
        var idle = new Option<int>("--idle-s") { Description = "Seconds over which each topology's idle CPU is measured.", DefaultValueFactory = _ => 60 };
        var settle = new Option<int>("--settle-s") { Description = "Quiet seconds after the loads before the idle CPU window.", DefaultValueFactory = _ => 20 };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads, direct and in the cluster; 0 = one per logical core.", DefaultValueFactory = _ => 0 };
        var outPath = new Option<string?>("--out") { Description = "Markdown file whose cluster section is written or replaced, e.g. docs/benchmarks.md." };
        var command = new Command("cluster", "Per topology (embedded, standalone gateway): WebSocket first audio, session stream hop, idle CPU; direct engine against the embedded WebSocket per concurrency.")
        {
            size, concurrency, repeat, topologies, idle, settle, threads, outPath,
        };

        command.SetAction((parse, cancellationToken) => RunBenchAsync(
            "cluster",
            args,
            parse.GetValue(outPath),
            output,
            error,
            () => new ClusterBenchSettings
            {
                Size = EngineBenchSettings.ParseSize(parse.GetValue(size)!),
                Concurrency = SplitList(parse.GetValue(concurrency)!, "--concurrency").Select(c => ParsePositive(c, "--concurrency")).ToArray(),
                Repeat = RequirePositive(parse.GetValue(repeat), "--repeat"),
                Topologies = SplitList(parse.GetValue(topologies)!, "--topologies").Select(ClusterBenchSettings.ParseTopology).Distinct().ToArray(),
                Idle = TimeSpan.FromSeconds(RequirePositive(parse.GetValue(idle), "--idle-s")),
                Settle = TimeSpan.FromSeconds(RequireNonNegative(parse.GetValue(settle), "--settle-s")),
                IntraOpThreads = parse.GetValue(threads) is > 0 and var t ? t : Environment.ProcessorCount,
            },
            settings => new ClusterBench(settings, error).RunAsync(cancellationToken),
            ClusterReport.Render));
        return command;
    }

    private static Command CreateVoicesCommand(string[] args, TextWriter output, TextWriter error)
    {
        var size = new Option<string>("--size") { Description = "Synthetic bundle size: tiny, mid, real.", DefaultValueFactory = _ => "tiny" };
        var voices = new Option<int>("--voices") { Description = "New voices, each with its own reference clip.", DefaultValueFactory = _ => 5 };
        var perVoice = new Option<int>("--max-utterances") { Description = "Utterances per voice at most while a case lacks its sample.", DefaultValueFactory = _ => 12 };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads of each silo's worker.", DefaultValueFactory = _ => 1 };
        var outPath = new Option<string?>("--out") { Description = "Markdown file whose voices section is written or replaced, e.g. docs/benchmarks.md." };
        var command = new Command("voices", "Redis cluster (two silos, standalone gateway): upload time and time to first audio with a new voice, first and again, on the silo that computed it and on the other.")
        {
            size, voices, perVoice, threads, outPath,
        };

        command.SetAction((parse, cancellationToken) => RunBenchAsync(
            "voices",
            args,
            parse.GetValue(outPath),
            output,
            error,
            () => new VoicesBenchSettings
            {
                Size = EngineBenchSettings.ParseSize(parse.GetValue(size)!),
                Voices = RequirePositive(parse.GetValue(voices), "--voices"),
                MaxUtterancesPerVoice = RequirePositive(parse.GetValue(perVoice), "--max-utterances"),
                IntraOpThreads = RequirePositive(parse.GetValue(threads), "--threads"),
            },
            settings => new VoicesBench(settings, error).RunAsync(cancellationToken),
            VoicesReport.Render));
        return command;
    }

    /// <summary>
    /// What every bench does around its measurement: parse settings (exit 1 on bad options), warn on a Debug
    /// build, run, render Markdown with the command and machine, print it and, with --out, write its section.
    /// </summary>
    private static async Task<int> RunBenchAsync<TSettings, TReport>(
        string section,
        string[] args,
        string? outPath,
        TextWriter output,
        TextWriter error,
        Func<TSettings> parseSettings,
        Func<TSettings, Task<TReport>> run,
        Func<TReport, string, MachineFacts, string, string> render)
    {
        TSettings settings;
        try
        {
            settings = parseSettings();
        }
        catch (ArgumentException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return 1;
        }

        if (BuildInfo.IsDebugBuild)
        {
            error.WriteLine("warning: this is a Debug build of the bench; run with -c Release for numbers worth keeping.");
        }

        try
        {
            var machine = MachineFacts.Collect();
            var report = await run(settings).ConfigureAwait(false);
            var command = "dotnet run -c Release --project bench/Bench -- " + string.Join(' ', args.Select(QuoteIfNeeded));
            var markdown = render(report, command, machine, MachineFacts.ReadLoadAverage());
            output.Write(markdown);
            if (outPath is not null)
            {
                BenchmarksDocument.WriteSection(outPath, section, markdown);
                error.WriteLine($"Updated the {section} section of {outPath}.");
            }

            return 0;
        }
        catch (InferenceException ex)
        {
            error.WriteLine($"error [{ex.WireCode}]: {ex.Message}");
            return 2;
        }
    }

    private static string[] SplitList(string value, string option)
    {
        var items = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return items.Length > 0 ? items : throw new ArgumentException($"{option} needs at least one value.");
    }

    private static int ParsePositive(string text, string option) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{option}: '{text}' is not a positive integer.");

    private static int RequirePositive(int value, string option) =>
        value > 0 ? value : throw new ArgumentException($"{option} must be at least 1; got {value}.");

    private static int RequireNonNegative(int value, string option) =>
        value >= 0 ? value : throw new ArgumentException($"{option} must be 0 or more; got {value}.");

    private static string QuoteIfNeeded(string arg) => arg.Any(char.IsWhiteSpace) ? $"\"{arg}\"" : arg;
}
