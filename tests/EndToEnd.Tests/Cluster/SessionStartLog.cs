using System.Text.RegularExpressions;
using Sawt.Gateway.Tests.Infrastructure;

namespace Sawt.EndToEnd.Tests.Cluster;

/// <summary>
/// The session grain's Debug line when a session starts (event <see cref="EventId"/>), which names the workers it
/// started with; the fault tests read from it which silo served what.
/// </summary>
internal static partial class SessionStartLog
{
    public const int EventId = 2030;

    /// <summary>The start line of session <paramref name="sessionId"/> in <paramref name="logs"/>, or null when that silo's log does not hold it.</summary>
    public static LogEntry? Find(CapturedLogs logs, string sessionId) =>
        logs.WithEventId(EventId).FirstOrDefault(e => e.Message.Contains(sessionId, StringComparison.OrdinalIgnoreCase));

    /// <summary>The silo endpoint of the T3 worker a start line names.</summary>
    public static string T3Silo(LogEntry line) => T3WorkerSilo().Match(line.Message).Groups["silo"].Value;

    /// <summary>The silo endpoints of the T3 and decoder workers a start line names.</summary>
    public static (string T3, string Decoder) WorkerSilos(LogEntry line) =>
        (T3Silo(line), DecoderWorkerSilo().Match(line.Message).Groups["silo"].Value);

    [GeneratedRegex(@"T3 worker (?<silo>[^/\s]+)/\S+$")]
    private static partial Regex T3WorkerSilo();

    [GeneratedRegex(@"decoder worker (?<silo>[^/\s]+)/")]
    private static partial Regex DecoderWorkerSilo();
}
