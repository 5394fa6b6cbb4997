using System.CommandLine;

namespace Sawt.Cli;

/// <summary>The <c>sawt</c> command tree; output goes to the given writers so tests can run it in-process.</summary>
public static class SawtCommandLine
{
    /// <summary>Exit code for a request the engine refused (bad input, bad bundle, provider unavailable).</summary>
    public const int EngineErrorExitCode = 2;

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        RunAsync(args, output, error, input: null, cancellationToken);

    /// <summary>Runs one command line; <paramref name="input"/> is where <c>sawt stream --stdin</c> reads text (default <see cref="Console.In"/>).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TextReader? input = null, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Sawt: streaming text-to-speech for the Chatterbox model family.")
        {
            SynthesizeCommand.Create(output, error),
            StreamCommand.Create(output, error, input ?? Console.In),
            BundleCommand.Create(output, error),
        };
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return await root.Parse(args).InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
