using Sawt.Inference;

namespace Sawt.Cli;

/// <summary>Turns the failures a user can cause (bad input, bad bundle, unwritable file) into one error line and exit code 2.</summary>
internal static class CliErrors
{
    public static bool IsExpected(Exception exception) =>
        exception is InferenceException or IOException or UnauthorizedAccessException;

    public static int Report(Exception exception, TextWriter error)
    {
        var code = exception is InferenceException inference ? inference.WireCode : "io";
        error.WriteLine($"error [{code}]: {exception.Message}");
        return SawtCommandLine.EngineErrorExitCode;
    }
}
