using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ProxyHost.Messaging.Tests;

/// <summary>Collects log messages and lets a test await one by event id and text, instead of sleeping.</summary>
internal sealed class LogCapture : ILoggerProvider, ILoggerFactory
{
    private readonly ConcurrentQueue<(int EventId, string Message)> _messages = new();
    private readonly List<(int EventId, string Contains, TaskCompletionSource<string> Logged)> _waiters = [];

    public Task<string> WaitAsync(int eventId, string contains = "")
    {
        var waiter = (eventId, contains, new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_waiters)
        {
            _waiters.Add(waiter);
            foreach (var (id, message) in _messages)
            {
                if (id == eventId && message.Contains(contains, StringComparison.Ordinal))
                {
                    waiter.Item3.TrySetResult(message);
                }
            }
        }
        return waiter.Item3.Task;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private void Record(int eventId, string message)
    {
        lock (_waiters)
        {
            _messages.Enqueue((eventId, message));
            foreach (var waiter in _waiters.Where(w => w.EventId == eventId && message.Contains(w.Contains, StringComparison.Ordinal)))
            {
                waiter.Logged.TrySetResult(message);
            }
        }
    }

    private sealed class Logger(LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture.Record(eventId.Id, formatter(state, exception));
    }
}
