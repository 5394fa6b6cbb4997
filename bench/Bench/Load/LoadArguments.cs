using System.CommandLine;
using Sawt.Bench.Engine;
using Sawt.Protocol;

namespace Sawt.Bench.Load;

/// <summary>The load bench's options, shared by the command and by <see cref="BenchCommandLine.ParseLoadSettings"/>.</summary>
internal sealed class LoadArguments
{
    public Option<string?> Url { get; } = new("--url") { Description = "A running gateway's HTTP address (e.g. http://localhost:8080/); default: start the embedded cluster here." };

    public Option<string?> ApiKey { get; } = new("--api-key") { Description = "The API key for --url's gateway." };

    public Option<string?> Size { get; } = new("--size") { Description = "Synthetic bundle size of the embedded cluster: tiny, mid, real. Default tiny." };

    public Option<string?> Model { get; } = new("--model") { HelpName = "DIR", Description = "A bundle directory for the embedded cluster instead of a synthetic size." };

    public Option<int> Threads { get; } = new("--threads") { Description = "ONNX Runtime intra-op threads of the embedded cluster's workers.", DefaultValueFactory = _ => 1 };

    public Option<int> Contexts { get; } = new("--contexts") { Description = "Concurrent contexts.", DefaultValueFactory = _ => 50 };

    public Option<int> ContextsPerSocket { get; } = new("--contexts-per-socket") { Description = "Contexts sharing one WebSocket (the gateway allows 16 by default).", DefaultValueFactory = _ => 10 };

    public Option<int> Turns { get; } = new("--turns") { Description = "Utterances per context, one after another.", DefaultValueFactory = _ => 1 };

    public Option<double> Ramp { get; } = new("--ramp-s") { Description = "Seconds over which the contexts start (evenly).", DefaultValueFactory = _ => 0 };

    public Option<int> Think { get; } = new("--think-ms") { Description = "Pause between a context's utterances.", DefaultValueFactory = _ => 500 };

    public Option<int> WordsPerPiece { get; } = new("--words-per-piece") { Description = "Words per text message.", DefaultValueFactory = _ => 2 };

    public Option<int> PieceDelay { get; } = new("--piece-delay-ms") { Description = "Pause after each text message.", DefaultValueFactory = _ => 20 };

    public Option<bool> TextAtStart { get; } = new("--text-at-start") { Description = "Send the first text piece in the synthesize message, so a busy for its first sentence comes before started." };

    public Option<bool> RetryBusy { get; } = new("--retry-busy") { Description = "On busy, wait its retry_after_ms and start the utterance again as a new context." };

    public Option<string[]> RetryCodes { get; } = new("--retry-code") { HelpName = "CODE", Description = "Another error code to retry as --retry-busy does busy (repeatable), e.g. unavailable.", Arity = ArgumentArity.ZeroOrMore };

    public Option<int> MaxAttempts { get; } = new("--max-attempts") { Description = "Attempts per utterance when retrying, the first included.", DefaultValueFactory = _ => 30 };

    public Option<string> Text { get; } = new("--text") { Description = "The text of every utterance.", DefaultValueFactory = _ => LoadBenchSettings.DefaultText };

    public Option<string> Language { get; } = new("--language") { Description = "The language sent.", DefaultValueFactory = _ => "en" };

    public Option<int> Timeout { get; } = new("--attempt-timeout-s") { Description = "Seconds one attempt may take before it counts as timeout.", DefaultValueFactory = _ => 300 };

    public Option<string?> OutPath { get; } = new("--out") { HelpName = "FILE", Description = "Markdown file whose load section is written or replaced, e.g. docs/reliability.md." };

    public Option<string?> JsonPath { get; } = new("--json") { HelpName = "FILE", Description = "JSON file written (replaced whole) with the report, the command and the machine." };

    public Command CreateCommand() => new("load", "Load generator: N concurrent incremental WebSocket contexts against a gateway (or an embedded cluster); time to first audio, gaps, real-time factor, errors; verifies every stream. Exits 3 when an utterance did not complete or a stream failed verification.")
    {
        Url, ApiKey, Size, Model, Threads, Contexts, ContextsPerSocket, Turns, Ramp, Think, WordsPerPiece, PieceDelay, TextAtStart, RetryBusy, RetryCodes, MaxAttempts, Text, Language, Timeout, OutPath, JsonPath,
    };

    public LoadBenchSettings Settings(ParseResult parse)
    {
        var url = parse.GetValue(Url);
        if (url is not null && (parse.GetValue(Size) is not null || parse.GetValue(Model) is not null))
        {
            throw new ArgumentException("--url targets a running gateway; --size and --model choose the embedded cluster's bundle. Give one or the other.");
        }

        var text = parse.GetValue(Text)!;
        return new LoadBenchSettings
        {
            Url = url is null ? null : Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                ? uri
                : throw new ArgumentException($"--url: '{url}' is not an http(s) address."),
            ApiKey = parse.GetValue(ApiKey),
            Bundle = BenchBundleChoice.FromSizeOrModel(parse.GetValue(Size), parse.GetValue(Model), "tiny"),
            IntraOpThreads = BenchCommandLine.RequirePositive(parse.GetValue(Threads), "--threads"),
            Contexts = BenchCommandLine.RequirePositive(parse.GetValue(Contexts), "--contexts"),
            ContextsPerSocket = BenchCommandLine.RequirePositive(parse.GetValue(ContextsPerSocket), "--contexts-per-socket"),
            Turns = BenchCommandLine.RequirePositive(parse.GetValue(Turns), "--turns"),
            Ramp = parse.GetValue(Ramp) is >= 0 and var ramp ? TimeSpan.FromSeconds(ramp) : throw new ArgumentException("--ramp-s must not be negative."),
            Think = TimeSpan.FromMilliseconds(NonNegative(parse.GetValue(Think), "--think-ms")),
            WordsPerPiece = BenchCommandLine.RequirePositive(parse.GetValue(WordsPerPiece), "--words-per-piece"),
            PieceDelay = TimeSpan.FromMilliseconds(NonNegative(parse.GetValue(PieceDelay), "--piece-delay-ms")),
            TextAtStart = parse.GetValue(TextAtStart),
            RetryCodes = (parse.GetValue(RetryBusy) ? [ErrorCodes.Busy] : Array.Empty<string>()).Concat(parse.GetValue(RetryCodes) ?? []).Distinct(StringComparer.Ordinal).ToList(),
            MaxAttempts = BenchCommandLine.RequirePositive(parse.GetValue(MaxAttempts), "--max-attempts"),
            Text = string.IsNullOrWhiteSpace(text) ? throw new ArgumentException("--text must not be empty.") : text,
            Language = parse.GetValue(Language)!,
            AttemptTimeout = TimeSpan.FromSeconds(BenchCommandLine.RequirePositive(parse.GetValue(Timeout), "--attempt-timeout-s")),
        };
    }

    private static int NonNegative(int value, string option) =>
        value >= 0 ? value : throw new ArgumentException($"{option} must be 0 or more; got {value}.");
}
