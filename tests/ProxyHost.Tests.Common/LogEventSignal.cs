using Microsoft.Extensions.Logging;

namespace ProxyHost.Tests;

/// <summary>Completes when a matching log message is written, so tests wait on the event itself.</summary>
public sealed class LogEventSignal(Func<EventId, string, bool> matches) : ILoggerProvider
{
    private readonly TaskCompletionSource<string> _logged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Waits for the first message with this event id.</summary>
    public LogEventSignal(int eventId)
        : this((id, _) => id.Id == eventId)
    {
    }

    public Task<string> Logged => _logged.Task;

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(LogEventSignal signal) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            if (signal.Matches(eventId, message))
            {
                signal._logged.TrySetResult(message);
            }
        }
    }

    private bool Matches(EventId eventId, string message) => matches(eventId, message);
}
