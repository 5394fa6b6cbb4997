using System.CommandLine;
using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using Sawt.Bench.Cluster;
using Sawt.Bench.Decoders;
using Sawt.Bench.Engine;
using Sawt.Bench.Load;
using Sawt.Bench.Reporting;
using Sawt.Bench.Speculative;
using Sawt.Bench.Streaming;
using Sawt.Bench.Voices;
using Sawt.Inference;

namespace Sawt.Bench;

/// <summary>The bench command tree; one subcommand per bench, each able to write its own section of docs/benchmarks.md.</summary>
internal static class BenchCommandLine
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Sawt benchmarks on synthetic bundles (random weights, real graph contract) or, with --model, on any bundle directory.")
        {
            CreateEngineCommand(args, output, error),
            CreateStreamingCommand(args, output, error),
            CreateClusterCommand(args, output, error),
            CreateVoicesCommand(args, output, error),
            CreateSpeculativeCommand(args, output, error),
            CreateDecoderCommand(args, output, error),
            CreateLoadCommand(args, output, error),
        };
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return await root.Parse(args).InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Parses the engine bench's options (the words after <c>engine</c>) as the command does; bad options throw <see cref="ArgumentException"/>.</summary>
    internal static EngineBenchSettings ParseEngineSettings(IReadOnlyList<string> args)
    {
        var arguments = new EngineArguments();
        return arguments.Settings(ParseOrThrow(arguments.CreateCommand(), args));
    }

    /// <summary>Parses the streaming bench's options (the words after <c>streaming</c>) as the command does; bad options throw <see cref="ArgumentException"/>.</summary>
    internal static StreamingBenchSettings ParseStreamingSettings(IReadOnlyList<string> args)
    {
        var arguments = new StreamingArguments();
        return arguments.Settings(ParseOrThrow(arguments.CreateCommand(), args));
    }

    /// <summary>Parses the load bench's options (the words after <c>load</c>) as the command does; bad options throw <see cref="ArgumentException"/>.</summary>
    internal static LoadBenchSettings ParseLoadSettings(IReadOnlyList<string> args)
    {
        var arguments = new LoadArguments();
        return arguments.Settings(ParseOrThrow(arguments.CreateCommand(), args));
    }

    private static ParseResult ParseOrThrow(Command command, IReadOnlyList<string> args)
    {
        var parse = command.Parse(args);
        return parse.Errors.Count == 0 ? parse : throw new ArgumentException(parse.Errors[0].Message);
    }

    private static Command CreateEngineCommand(string[] args, TextWriter output, TextWriter error)
    {
        var arguments = new EngineArguments();
        var command = arguments.CreateCommand();
        command.SetAction((parse, cancellationToken) => RunBenchAsync(
            "engine",
            args,
            parse.GetValue(arguments.OutPath),
            parse.GetValue(arguments.JsonPath),
            output,
            error,
            () => arguments.Settings(parse),
            settings => new EngineBench(settings, error).RunAsync(cancellationToken),
            EngineReport.Render,
            BenchJsonContext.Default.BenchJsonDocumentEngineBenchReport));
        return command;
    }

    private static Command CreateStreamingCommand(string[] args, TextWriter output, TextWriter error)
    {
        var arguments = new StreamingArguments();
        var command = arguments.CreateCommand();
        command.SetAction((parse, cancellationToken) => RunBenchAsync(
            "streaming",
            args,
            parse.GetValue(arguments.OutPath),
            parse.GetValue(arguments.JsonPath),
            output,
            error,
            () => arguments.Settings(parse),
            settings => new StreamingBench(settings, error).RunAsync(cancellationToken),
            StreamingReport.Render,
            BenchJsonContext.Default.BenchJsonDocumentStreamingBenchReport));
        return command;
    }

    private static Command CreateClusterCommand(string[] args, TextWriter output, TextWriter error)
    {
        var size = new Option<string?>("--size") { Description = "Synthetic bundle size: tiny, mid, real. Default tiny." };
        var model = new Option<string?>("--model") { HelpName = "DIR", Description = "A bundle directory to run instead of a synthetic size (a real export included)." };
        var concurrency = new Option<string>("--concurrency") { Description = "Comma-separated concurrent utterances per round.", DefaultValueFactory = _ => "1,8,32" };
        var repeat = new Option<int>("--repeat") { Description = "Timed rounds per concurrency.", DefaultValueFactory = _ => 3 };
        var topologies = new Option<string>("--topologies") { Description = "Comma-separated topologies measured side by side: embedded (in-process), standalone (silo and gateway processes).", DefaultValueFactory = _ => "embedded,standalone" };
        var idle = new Option<int>("--idle-s") { Description = "Seconds over which each topology's idle CPU is measured.", DefaultValueFactory = _ => 60 };
        var settle = new Option<int>("--settle-s") { Description = "Quiet seconds after the loads before the idle CPU window.", DefaultValueFactory = _ => 20 };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads, direct and in the cluster; 0 = one per logical core.", DefaultValueFactory = _ => 0 };
        var outPath = new Option<string?>("--out") { Description = "Markdown file whose cluster section is written or replaced, e.g. docs/benchmarks.md." };
        var command = new Command("cluster", "Per topology (embedded, standalone gateway): WebSocket first audio, session stream hop, idle CPU; direct engine against the embedded WebSocket per concurrency.")
        {
            size, model, concurrency, repeat, topologies, idle, settle, threads, outPath,
        };

        command.SetAction((parse, cancellationToken) => RunBenchAsync(
            "cluster",
            args,
            parse.GetValue(outPath),
            null,
            output,
            error,
            () => new ClusterBenchSettings
            {
                Bundle = BenchBundleChoice.FromSizeOrModel(parse.GetValue(size), parse.GetValue(model), "tiny"),
                Concurrency = SplitList(parse.GetValue(concurrency)!, "--concurrency").Select(c => ParsePositive(c, "--concurrency")).ToArray(),
                Repeat = RequirePositive(parse.GetValue(repeat), "--repeat"),
                Topologies = SplitList(parse.GetValue(topologies)!, "--topologies").Select(ClusterBenchSettings.ParseTopology).Distinct().ToArray(),
                Idle = TimeSpan.FromSeconds(RequirePositive(parse.GetValue(idle), "--idle-s")),
                Settle = TimeSpan.FromSeconds(RequireNonNegative(parse.GetValue(settle), "--settle-s")),
                IntraOpThreads = parse.GetValue(threads) is > 0 and var t ? t : Environment.ProcessorCount,
            },
            settings => new ClusterBench(settings, error).RunAsync(cancellationToken),
            ClusterReport.Render,
            null));
        return command;
    }

    private static Command CreateLoadCommand(string[] args, TextWriter output, TextWriter error)
    {
        var arguments = new LoadArguments();
        var command = arguments.CreateCommand();
        command.SetAction((parse, cancellationToken) => RunBenchAsync(
            "load",
            args,
            parse.GetValue(arguments.OutPath),
            parse.GetValue(arguments.JsonPath),
            output,
            error,
            () => arguments.Settings(parse),
            settings => new LoadBench(settings, error).RunAsync(cancellationToken),
            LoadReport.Render,
            BenchJsonContext.Default.BenchJsonDocumentLoadBenchReport,
            // A lost, duplicated or unpaired chunk, or an utterance that never completed, fails the run (after its report is written).
            report => report.Results.Passed ? 0 : 3));
        return command;
    }

    private static Command CreateSpeculativeCommand(string[] args, TextWriter output, TextWriter error)
    {
        var size = new Option<string?>("--size") { Description = "Synthetic bundle size: tiny, mid, real. Default mid." };
        var agreements = new Option<string>("--agreements") { Description = "Comma-separated draft agreements in [0, 1].", DefaultValueFactory = _ => "0.5,0.8,0.95,1" };
        var batches = new Option<string>("--batch") { Description = "Comma-separated batch sizes (sequences).", DefaultValueFactory = _ => "1,8" };
        var draftLayers = new Option<int>("--draft-layers") { Description = "Layers of the synthetic draft (the target's first ones); 0 = as many as the target.", DefaultValueFactory = _ => 0 };
        var tokens = new Option<int>("--tokens") { Description = "Tokens per sequence in a timed run.", DefaultValueFactory = _ => 64 };
        var repeat = new Option<int>("--repeat") { Description = "Timed runs per row.", DefaultValueFactory = _ => 2 };
        var drafts = new Option<int>("--max-draft") { Description = "Most tokens drafted per round.", DefaultValueFactory = _ => 4 };
        var temperature = new Option<float>("--temperature") { Description = "Sampling temperature; 0 is greedy and checks that the tokens equal plain decoding's.", DefaultValueFactory = _ => 0.8f };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads; 0 = one per logical core.", DefaultValueFactory = _ => 0 };
        var outPath = new Option<string?>("--out") { HelpName = "FILE", Description = "Markdown file whose speculative section is written or replaced, e.g. docs/benchmarks.md." };
        var command = new Command("speculative", "Speculative against plain decoding on synthetic target/draft pairs, per draft agreement and batch size: ms per token, speed-up, acceptance.")
        {
            size, agreements, batches, draftLayers, tokens, repeat, drafts, temperature, threads, outPath,
        };

        command.SetAction((parse, cancellationToken) => RunBenchAsync(
            "speculative",
            args,
            parse.GetValue(outPath),
            null,
            output,
            error,
            () => new SpeculativeBenchSettings
            {
                Size = EngineBenchSettings.ParseSize(parse.GetValue(size) ?? "mid"),
                Agreements = SplitList(parse.GetValue(agreements)!, "--agreements").Select(a => double.Parse(a, CultureInfo.InvariantCulture) is var v and >= 0 and <= 1 ? v : throw new ArgumentException($"--agreements: {a} is not in [0, 1].")).ToArray(),
                BatchSizes = SplitList(parse.GetValue(batches)!, "--batch").Select(b => ParsePositive(b, "--batch")).ToArray(),
                DraftLayers = RequireNonNegative(parse.GetValue(draftLayers), "--draft-layers") is > 0 and var layers ? layers : null,
                Tokens = RequirePositive(parse.GetValue(tokens), "--tokens"),
                Repeat = RequirePositive(parse.GetValue(repeat), "--repeat"),
                MaxDraftTokens = RequirePositive(parse.GetValue(drafts), "--max-draft"),
                Temperature = parse.GetValue(temperature) is >= 0 and var t ? t : throw new ArgumentException("--temperature must not be negative."),
                IntraOpThreads = parse.GetValue(threads) is > 0 and var n ? n : Environment.ProcessorCount,
            },
            settings => new SpeculativeBench(settings, error).RunAsync(cancellationToken),
            SpeculativeReport.Render,
            null));
        return command;
    }

    private static Command CreateDecoderCommand(string[] args, TextWriter output, TextWriter error)
    {
        var chunk = new Option<int>("--chunk-tokens") { Description = "Tokens per chunk.", DefaultValueFactory = _ => 37 };
        var repeat = new Option<int>("--repeat") { Description = "Timed calls per variant (step-count table).", DefaultValueFactory = _ => 5 };
        var sessions = new Option<string>("--sessions") { Description = "Comma-separated concurrent session counts (batching table).", DefaultValueFactory = _ => "1,8,32" };
        var chunks = new Option<int>("--chunks") { Description = "Chunks each session decodes per round.", DefaultValueFactory = _ => 4 };
        var rounds = new Option<int>("--rounds") { Description = "Timed rounds per session count and mode.", DefaultValueFactory = _ => 2 };
        var batch = new Option<int>("--max-batch") { Description = "Rows per graph call when batched.", DefaultValueFactory = _ => 8 };
        var concurrent = new Option<int>("--concurrent") { Description = "Graph calls at once (the worker's MaxConcurrentDecodes).", DefaultValueFactory = _ => 4 };
        var hidden = new Option<int>("--decoder-hidden") { Description = "Width of the synthetic decoder's estimator.", DefaultValueFactory = _ => 256 };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads; 0 = one per logical core.", DefaultValueFactory = _ => 0 };
        var outPath = new Option<string?>("--out") { HelpName = "FILE", Description = "Markdown file whose decoder section is written or replaced, e.g. docs/benchmarks.md." };
        var command = new Command("decoder", "Decoder time per chunk against step count (n4, n6, n10, MeanFlow) and batched against unbatched decoder calls per session count, in one run.")
        {
            chunk, repeat, sessions, chunks, rounds, batch, concurrent, hidden, threads, outPath,
        };

        command.SetAction((parse, cancellationToken) => RunBenchAsync(
            "decoder",
            args,
            parse.GetValue(outPath),
            null,
            output,
            error,
            () => new DecoderBenchSettings
            {
                ChunkTokens = RequirePositive(parse.GetValue(chunk), "--chunk-tokens"),
                Repeat = RequirePositive(parse.GetValue(repeat), "--repeat"),
                Sessions = SplitList(parse.GetValue(sessions)!, "--sessions").Select(v => ParsePositive(v, "--sessions")).ToArray(),
                ChunksPerSession = RequirePositive(parse.GetValue(chunks), "--chunks"),
                Rounds = RequirePositive(parse.GetValue(rounds), "--rounds"),
                MaxBatchSize = RequirePositive(parse.GetValue(batch), "--max-batch"),
                MaxConcurrentCalls = RequirePositive(parse.GetValue(concurrent), "--concurrent"),
                DecoderHiddenSize = parse.GetValue(hidden) is >= 80 and var h ? h : throw new ArgumentException("--decoder-hidden must be at least 80 (the latent's channels)."),
                IntraOpThreads = parse.GetValue(threads) is > 0 and var n ? n : Environment.ProcessorCount,
            },
            settings => new DecoderBench(settings, error).RunAsync(cancellationToken),
            DecoderReport.Render,
            null));
        return command;
    }

    private static Command CreateVoicesCommand(string[] args, TextWriter output, TextWriter error)
    {
        var size = new Option<string?>("--size") { Description = "Synthetic bundle size: tiny, mid, real. Default tiny." };
        var model = new Option<string?>("--model") { HelpName = "DIR", Description = "A bundle directory to run instead of a synthetic size (a real export included)." };
        var voices = new Option<int>("--voices") { Description = "New voices, each with its own reference clip.", DefaultValueFactory = _ => 5 };
        var perVoice = new Option<int>("--max-utterances") { Description = "Utterances per voice at most while a case lacks its sample.", DefaultValueFactory = _ => 12 };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads of each silo's worker.", DefaultValueFactory = _ => 1 };
        var outPath = new Option<string?>("--out") { Description = "Markdown file whose voices section is written or replaced, e.g. docs/benchmarks.md." };
        var command = new Command("voices", "Redis cluster (two silos, standalone gateway): upload time and time to first audio with a new voice, first and again, on the silo that computed it and on the other.")
        {
            size, model, voices, perVoice, threads, outPath,
        };

        command.SetAction((parse, cancellationToken) => RunBenchAsync(
            "voices",
            args,
            parse.GetValue(outPath),
            null,
            output,
            error,
            () => new VoicesBenchSettings
            {
                Bundle = BenchBundleChoice.FromSizeOrModel(parse.GetValue(size), parse.GetValue(model), "tiny"),
                Voices = RequirePositive(parse.GetValue(voices), "--voices"),
                MaxUtterancesPerVoice = RequirePositive(parse.GetValue(perVoice), "--max-utterances"),
                IntraOpThreads = RequirePositive(parse.GetValue(threads), "--threads"),
            },
            settings => new VoicesBench(settings, error).RunAsync(cancellationToken),
            VoicesReport.Render,
            null));
        return command;
    }

    /// <summary>
    /// What every bench does around its measurement: parse settings (exit 1 on bad options), warn on a Debug
    /// build, run, render Markdown with the command and machine, print it and, with --out, write its section;
    /// with --json (benches that have a JSON type), write the report and the same metadata as JSON.
    /// </summary>
    private static async Task<int> RunBenchAsync<TSettings, TReport>(
        string section,
        string[] args,
        string? outPath,
        string? jsonPath,
        TextWriter output,
        TextWriter error,
        Func<TSettings> parseSettings,
        Func<TSettings, Task<TReport>> run,
        Func<TReport, string, MachineFacts, string, string> render,
        JsonTypeInfo<BenchJsonDocument<TReport>>? jsonType,
        Func<TReport, int>? exitCode = null)
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
            var loadAtEnd = MachineFacts.ReadLoadAverage();
            var markdown = render(report, command, machine, loadAtEnd);
            output.Write(markdown);
            if (outPath is not null)
            {
                BenchmarksDocument.WriteSection(outPath, section, markdown);
                error.WriteLine($"Updated the {section} section of {outPath}.");
            }

            if (jsonPath is not null && jsonType is not null)
            {
                var build = BuildInfo.IsDebugBuild ? "Debug" : "Release";
                BenchJson.Write(jsonPath, new BenchJsonDocument<TReport>(section, command, build, machine, loadAtEnd, report), jsonType);
                error.WriteLine($"Wrote the {section} report as JSON to {jsonPath}.");
            }

            return exitCode?.Invoke(report) ?? 0;
        }
        catch (InferenceException ex)
        {
            error.WriteLine($"error [{ex.WireCode}]: {ex.Message}");
            return 2;
        }
    }

    internal static string[] SplitList(string value, string option)
    {
        var items = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return items.Length > 0 ? items : throw new ArgumentException($"{option} needs at least one value.");
    }

    internal static int ParsePositive(string text, string option) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{option}: '{text}' is not a positive integer.");

    internal static int RequirePositive(int value, string option) =>
        value > 0 ? value : throw new ArgumentException($"{option} must be at least 1; got {value}.");

    private static int RequireNonNegative(int value, string option) =>
        value >= 0 ? value : throw new ArgumentException($"{option} must be 0 or more; got {value}.");

    private static string QuoteIfNeeded(string arg) => arg.Any(char.IsWhiteSpace) ? $"\"{arg}\"" : arg;
}
