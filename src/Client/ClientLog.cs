using Microsoft.Extensions.Logging;

namespace Sawt.Client;

/// <summary>The client's log events (EventIds 5000s).</summary>
internal static partial class ClientLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Connection to {Uri} lost; {Contexts} contexts in flight fail with connection_lost")]
    public static partial void ConnectionLost(ILogger logger, Uri uri, int contexts, Exception? exception);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Reconnecting to {Uri}: attempt {Attempt} in {DelayMilliseconds} ms")]
    public static partial void Reconnecting(ILogger logger, Uri uri, int attempt, long delayMilliseconds);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Reconnected to {Uri} after {Attempts} attempts")]
    public static partial void Reconnected(ILogger logger, Uri uri, int attempts);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Debug, Message = "Reconnect attempt {Attempt} to {Uri} failed: {Code}")]
    public static partial void ReconnectFailed(ILogger logger, int attempt, Uri uri, string code);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Error, Message = "Gave up reconnecting to {Uri} after {Attempts} attempts: {Code}")]
    public static partial void GaveUp(ILogger logger, Uri uri, int attempts, string code);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "The gateway sent an error for no context: {Code}")]
    public static partial void SocketError(ILogger logger, string code);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Debug, Message = "Skipped a server message this client cannot read")]
    public static partial void UnreadableMessage(ILogger logger);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Debug, Message = "The gateway refused a message of context {ContextId}: {Code}")]
    public static partial void MessageRefused(ILogger logger, string contextId, string code);
}
