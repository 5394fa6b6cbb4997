using Microsoft.Extensions.Logging;

namespace Sawt.Gateway.Diagnostics;

/// <summary>Log filters that keep an operator's log to signal, for every Sawt host (gateway, silo, embedded default).</summary>
public static class OperatorLogFilters
{
    /// <summary>
    /// Silences framework entries that need no action: Polly's Information entry for every Orleans placement
    /// attempt (several per synthesis), and Orleans' "Dropping on the floor" warning for an event that reaches a
    /// subscription its consumer has just cancelled (every cancel or disconnect mid-stream).
    /// </summary>
    public static ILoggingBuilder AddSawtOperatorFilters(this ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.AddFilter("Polly", LogLevel.Warning);
        logging.AddFilter("Orleans.Streams.StreamConsumerExtension", LogLevel.Error);
        return logging;
    }
}
