using System.Collections.Concurrent;
using FluentAssertions;
using Microsoft.Extensions.Logging;
using ProxyHost.Configuration;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Supervision.Logs;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests;

public sealed class LogScopeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ProcessLogs_CarryTheServerNameAsScope()
    {
        using var capture = new ScopeCapturingLoggerProvider();
        await using var host = await TestProxyHost.StartAsync(
            [new ServerProcessDefinition { Name = "app", Command = DummyProgram.Argv("http", "--port", "<port>", "--print", "1"), Timeout = TimeSpan.FromSeconds(20) }],
            output: output, logSignal: capture);
        using var client = host.CreateClient();

        await client.GetStringAsync("app/").DefaultTimeout();

        var started = capture.Entries.Where(e => e.Message.Contains("started process", StringComparison.Ordinal)).ToList();
        started.Should().NotBeEmpty();
        started.Should().OnlyContain(e => e.Servers.Contains("app"));
        capture.Entries.Where(e => e.Message.Contains("line 1", StringComparison.Ordinal)).Should().OnlyContain(e => e.Servers.Contains("app"));
    }

    private sealed record Entry(string Category, string Message, IReadOnlyList<string> Servers);

    private sealed class ScopeCapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(ScopeCapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => provider._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var servers = new List<string>();
                provider._scopes.ForEachScope((scope, list) =>
                {
                    if (scope is ServerLogScope server)
                    {
                        list.Add(server.ServerName);
                    }
                }, servers);
                provider.Entries.Enqueue(new Entry(category, formatter(state, exception), servers));
            }
        }
    }
}
