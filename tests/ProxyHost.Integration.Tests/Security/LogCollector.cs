using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ProxyHost.Integration.Tests.Security;

/// <summary>Keeps every log entry at <see cref="LogLevel.Warning"/> or above, so a test can ask why something failed.</summary>
internal sealed class LogCollector : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCollector collector, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                collector.Entries.Enqueue((logLevel, category, formatter(state, exception) + (exception is null ? "" : " | " + exception)));
            }
        }
    }
}
