using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Sawt.Grains.Tests;

/// <summary>Every Sawt log entry of a test cluster's silos (Information and above), so tests can count warnings.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, int EventId, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, int EventId, string Message)> WithEventId(int id) => [.. _entries.Where(e => e.EventId == id)];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName.StartsWith("Sawt.", StringComparison.Ordinal) ? _entries : null);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<(LogLevel, int, string)>? entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => entries is not null && logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                // The exception rides along, so a test that fails on a logged error can show its cause.
                entries!.Enqueue((logLevel, eventId.Id, exception is null ? formatter(state, exception) : $"{formatter(state, exception)} | {exception}"));
            }
        }
    }
}
