using Microsoft.Extensions.Logging;

namespace Sawt.Gateway.Diagnostics;

/// <summary>Log filters that keep an operator's log to signal, for every Sawt host (gateway, silo, embedded default).</summary>
public static class OperatorLogFilters
{
    /// <summary>
    /// Silences framework entries that need no action: Polly's Information entry for every Orleans placement
    /// attempt (several per synthesis), and Orleans' "Dropping on the floor" warning for an event that reaches a
    /// subscription its consumer has just cancelled (every cancel or disconnect mid-stream). Also ASP.NET Core's
    /// per-request "Request starting/finished" entries, whatever appsettings.json says: they carry the query string,
    /// where WebSocket clients put their API key (<c>?api_key=</c>), and keys are never logged.
    /// </summary>
    public static ILoggingBuilder AddSawtOperatorFilters(this ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.AddFilter("Polly", LogLevel.Warning);
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        logging.AddFilter("Orleans.Streams.StreamConsumerExtension", LogLevel.Error);
        return logging;
    }
}
