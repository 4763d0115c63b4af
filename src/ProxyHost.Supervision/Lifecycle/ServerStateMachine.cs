using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using ProxyHost.Supervision.Endpoints;
using static ProxyHost.Supervision.Lifecycle.ServerProcessState;

namespace ProxyHost.Supervision.Lifecycle;

/// <summary>
/// The states of one server and every transition between them, in one place. Each transition is a
/// named method; each publishes the server's next snapshot. <see cref="EnteredFrom"/> lists where each
/// state may be entered from.
/// </summary>
internal sealed partial class ServerStateMachine
{
    // A stop request and the run loop race by design (a stop may land while a start is failing), so the
    // table lists those orders too. A transition outside it is logged as a warning and still made: the
    // snapshot must say what really happened.
    private static readonly FrozenDictionary<ServerProcessState, ServerProcessState[]> EnteredFrom = new Dictionary<ServerProcessState, ServerProcessState[]>
    {
        // After quick failures, before the next launch.
        [Backoff] = [NotStarted, Stopped, Exited, Failed, Stopping],
        // A launch, lazily on a request.
        [Starting] = [NotStarted, Stopped, Exited, Failed, Backoff, Stopping],
        // The readiness probe answered.
        [Running] = [Starting],
        // A stop, restart, config change, idle cull or shutdown while a run is under way.
        [Stopping] = [Backoff, Starting, Running, Exited, Failed],
        // The stop finished; or a stop of a server that had already exited or failed.
        [Stopped] = [Stopping, Backoff, Exited, Failed],
        // The process ended on its own after it was ready.
        [Exited] = [Running],
        // A launch failed, timed out or exited before it was ready; or the crash-loop circuit is open.
        [Failed] = [NotStarted, Stopped, Exited, Failed, Backoff, Starting, Stopping],
    }.ToFrozenDictionary();

    private readonly Lock _gate = new();
    private readonly ServerStateNotifier _notifier;
    private readonly ILogger _logger;
    private ServerProcessSnapshot _snapshot;
    private bool _attached = true;

    public ServerStateMachine(ServerProcessSnapshot initial, ServerStateNotifier notifier, ILogger logger)
    {
        (_notifier, _logger) = (notifier, logger);
        _snapshot = notifier.Publish(initial);
    }

    public ServerProcessSnapshot Snapshot => _snapshot;

    public ServerProcessState State => _snapshot.State;

    public void WaitForBackoff(DateTimeOffset retryAt) => Enter(Backoff, s => s with { RetryAt = retryAt, ProcessId = null });

    public void Start(ServerEndpoint endpoint, DateTimeOffset startedAt, int restarts) => Enter(Starting, s => s with
    {
        Endpoint = endpoint,
        ProcessId = null,
        StartedAt = startedAt,
        ReadyAt = null,
        Restarts = restarts,
        LastError = null,
        RetryAt = null,
    });

    /// <summary>Not a transition: the launched process's id, while still <see cref="Starting"/>.</summary>
    public void ProcessLaunched(int processId, DateTimeOffset startTime) => Update(s => s with { ProcessId = processId, StartedAt = startTime });

    public void BecomeRunning(DateTimeOffset readyAt) => Enter(Running, s => s with { ReadyAt = readyAt });

    public void Exit(ProcessExit exit, string message) => Enter(Exited, s => s with { LastExit = exit, ProcessId = null, LastError = message });

    /// <summary>A failed start; the last exit is kept unless this failure has one.</summary>
    public void Fail(string message, ProcessExit? exit = null) => Enter(Failed, s => s with { LastError = message, LastExit = exit ?? s.LastExit, ProcessId = null });

    /// <summary>The crash-loop circuit opened: failed, with starts refused until <paramref name="retryAt"/>.</summary>
    public void Suspend(string message, DateTimeOffset? retryAt) => Enter(Failed, s => s with { LastError = message, RetryAt = retryAt, ProcessId = null });

    public void BeginStop() => Enter(Stopping, s => s with { RetryAt = null });

    /// <summary>Stopped on purpose; <paramref name="exit"/> is how the process ended, if one was running.</summary>
    public void Stop(ProcessExit? exit = null) => Enter(Stopped, s => s with { ProcessId = null, RetryAt = null, LastExit = exit ?? s.LastExit });

    /// <summary>Stops publishing to the shared notifier: a newer instance of the same server took over.</summary>
    public void Detach()
    {
        lock (_gate)
        {
            _attached = false;
        }
    }

    private void Enter(ServerProcessState state, Func<ServerProcessSnapshot, ServerProcessSnapshot> update)
    {
        lock (_gate)
        {
            var previous = _snapshot.State;
            if (previous != state && !EnteredFrom[state].Contains(previous))
            {
                Log.UnexpectedTransition(_logger, _snapshot.Name, previous, state);
            }
            UpdateLocked(s => update(s) with { State = state });
        }
    }

    private void Update(Func<ServerProcessSnapshot, ServerProcessSnapshot> update)
    {
        lock (_gate)
        {
            UpdateLocked(update);
        }
    }

    private void UpdateLocked(Func<ServerProcessSnapshot, ServerProcessSnapshot> update)
    {
        var previous = _snapshot;
        var next = update(previous);
        _snapshot = _attached ? _notifier.Publish(next) : next with { Version = previous.Version + 1 };
        if (previous.State != next.State)
        {
            Log.StateChanged(_logger, next.Name, previous.State, next.State);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = SupervisionEventIds.StateChanged, Level = LogLevel.Debug, Message = "{Server}: {Previous} → {Current}")]
        public static partial void StateChanged(ILogger logger, string server, ServerProcessState previous, ServerProcessState current);

        [LoggerMessage(EventId = SupervisionEventIds.UnexpectedTransition, Level = LogLevel.Warning, Message = "{Server}: {Previous} → {Current} is not a transition the state table allows")]
        public static partial void UnexpectedTransition(ILogger logger, string server, ServerProcessState previous, ServerProcessState current);
    }
}
