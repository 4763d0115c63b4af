using Microsoft.Extensions.Logging;

namespace ProxyHost.Integration.Tests.Infrastructure;

/// <summary>Completes when a log message with the given event id is written, so tests wait on the event itself.</summary>
public sealed class LogEventSignal(int eventId) : ILoggerProvider
{
    private readonly TaskCompletionSource<string> _logged = new(TaskCreationOptions.RunContinuationsAsynchronously);

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
            if (eventId.Id == signal.EventId)
            {
                signal._logged.TrySetResult(formatter(state, exception));
            }
        }
    }

    private int EventId => eventId;
}
