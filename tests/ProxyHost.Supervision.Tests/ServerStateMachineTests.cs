using FluentAssertions;
using Microsoft.Extensions.Logging;
using ProxyHost.Supervision.Endpoints;
using ProxyHost.Supervision.Lifecycle;
using Xunit;

namespace ProxyHost.Supervision.Tests;

public sealed class ServerStateMachineTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    private readonly ServerStateNotifier _notifier = new();
    private readonly WarningCounter _warnings = new();
    private readonly ServerStateMachine _state;

    public ServerStateMachineTests() =>
        _state = new ServerStateMachine(new ServerProcessSnapshot { Name = "lab", IsManaged = true }, _notifier, _warnings);

    [Fact]
    public void ALifeWithACrashAStopAndACrashLoop_PublishesEveryStateInOrderWithoutAWarning()
    {
        var endpoint = ServerEndpoint.Tcp(8123);
        var exit = new ProcessExit(1, null, Now);

        _state.Start(endpoint, Now, restarts: 0);
        _state.ProcessLaunched(4242, Now);
        _state.BecomeRunning(Now);
        _state.Exit(exit, "exited");
        _state.Start(endpoint, Now, restarts: 1);
        _state.Fail("exited before it was ready", exit);
        _state.WaitForBackoff(Now.AddSeconds(1));
        _state.BeginStop();
        _state.Stop();
        _state.Start(endpoint, Now, restarts: 2);
        _state.Fail("timed out");
        _state.Suspend("suspended", Now.AddSeconds(30));

        _warnings.Count.Should().Be(0);
        _state.Snapshot.Should().BeEquivalentTo(new
        {
            State = ServerProcessState.Failed,
            LastError = "suspended",
            RetryAt = (DateTimeOffset?)Now.AddSeconds(30),
            LastExit = exit,
            Restarts = 2,
            ProcessId = (int?)null,
        });
        _notifier.Get("lab")!.Version.Should().Be(_state.Snapshot.Version);
    }

    [Fact]
    public void ATransitionOutsideTheTable_IsLoggedAndStillMade()
    {
        _state.BecomeRunning(Now);

        _warnings.Count.Should().Be(1, "NotStarted → Running skips the start");
        _state.State.Should().Be(ServerProcessState.Running, "the snapshot follows what happened");
    }

    [Fact]
    public void Detached_StopsPublishingButKeepsCounting()
    {
        var published = _notifier.Get("lab")!.Version;
        _state.Detach();

        _state.Start(ServerEndpoint.Tcp(8123), Now, restarts: 0);

        _notifier.Get("lab")!.Version.Should().Be(published);
        _state.Snapshot.Version.Should().Be(published + 1);
    }

    private sealed class WarningCounter : ILogger
    {
        public int Count { get; private set; }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Warning)
            {
                Count++;
            }
        }
    }
}
