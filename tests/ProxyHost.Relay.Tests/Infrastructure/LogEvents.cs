using Microsoft.Extensions.Logging;

namespace ProxyHost.Relay.Tests.Infrastructure;

/// <summary>Records log events by id so a test can wait for the event itself instead of sleeping.</summary>
public sealed class LogEvents : ILoggerProvider
{
    private readonly Lock _lock = new();
    private readonly List<(int Id, string Message)> _events = [];
    private readonly List<(int Id, int Count, TaskCompletionSource Done)> _waiters = [];

    public Task WaitAsync(int eventId, int count = 1)
    {
        lock (_lock)
        {
            if (_events.Count(e => e.Id == eventId) >= count)
            {
                return Task.CompletedTask;
            }
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((eventId, count, done));
            return done.Task;
        }
    }

    public int Count(int eventId)
    {
        lock (_lock)
        {
            return _events.Count(e => e.Id == eventId);
        }
    }

    public IReadOnlyList<string> Messages(int eventId)
    {
        lock (_lock)
        {
            return [.. _events.Where(e => e.Id == eventId).Select(e => e.Message)];
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private void Add(int id, string message)
    {
        lock (_lock)
        {
            _events.Add((id, message));
            var count = _events.Count(e => e.Id == id);
            foreach (var waiter in _waiters.Where(w => w.Id == id && w.Count <= count).ToList())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    private sealed class Logger(LogEvents events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id != 0)
            {
                events.Add(eventId.Id, formatter(state, exception));
            }
        }
    }
}
