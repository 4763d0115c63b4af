using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using ProxyHost.Catalog;
using ProxyHost.Configuration;
using ProxyHost.Supervision.Endpoints;
using ProxyHost.Supervision.Logs;
using ProxyHost.Supervision.Limits;
using ProxyHost.Supervision.Processes;
using ProxyHost.Supervision.Readiness;

namespace ProxyHost.Supervision.Lifecycle;

/// <summary>
/// Keeps one <see cref="ServerProcessInstance"/> per catalog definition. Nothing starts at boot; a
/// definition that is added gets a NotStarted instance, a removed one is stopped and dropped, a changed
/// one is stopped and replaced (it starts again on the next request). On host stop or dispose every
/// process tree is stopped in parallel, bounded by the grace period plus a kill allowance.
/// </summary>
internal sealed partial class ServerProcessSupervisor : IServerProcessSupervisor, IHostedLifecycleService, IAsyncDisposable
{
    private readonly IServerProcessCatalog _catalog;
    private readonly InstanceServices _services;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, ServerLogBuffer> _logs = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Task> _retiring = [];
    private readonly IDisposable _catalogSubscription;
    private volatile Instances _instances = Instances.Empty;
    private readonly LimitReport _limitReport;
    private bool _stopped;
    private Task? _shutdown;

    public ServerProcessSupervisor(
        IServerProcessCatalog catalog,
        IOptions<ProxyHostOptions> hostOptions,
        IOptions<SupervisionOptions> options,
        ProcessRunner runner,
        PortAllocator portAllocator,
        UnixSocketPathAllocator socketAllocator,
        HttpReadinessProbe httpProbe,
        ConnectReadinessProbe connectProbe,
        TimeProvider timeProvider,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(hostOptions);
        ArgumentNullException.ThrowIfNull(options);
        _catalog = catalog;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<ServerProcessSupervisor>();
        _limitReport = new LimitReport(runner.Limits, _logger);
        if (options.Value.BecomeChildSubreaper && NativeMethods.BecomeChildSubreaper())
        {
            Log.ChildSubreaper(_logger);
        }
        _services = new InstanceServices(
            options.Value,
            hostOptions.Value.BaseUrl,
            runner,
            portAllocator,
            socketAllocator,
            httpProbe,
            connectProbe,
            Notifier,
            timeProvider,
            new RunJournal(options.Value.RunRecordsDirectory, _logger),
            loggerFactory.CreateLogger(typeof(ServerProcessInstance).FullName!));
        // Subscribe, then reconcile once: a reconcile reads the catalog as it is at that moment, so a change
        // that lands before it is included and any later one calls it again. Reconciling before subscribing
        // as well would add nothing.
        _catalogSubscription = ChangeToken.OnChange(_catalog.GetChangeToken, Reconcile);
        Reconcile();
    }

    /// <summary>Where snapshots are published; exposed for hosts that want to watch without the supervisor interface.</summary>
    public ServerStateNotifier Notifier { get; } = new();

    public ValueTask<ActiveServer> EnsureRunningAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_instances.ByName.TryGetValue(name, out var instance) && _catalog.Current.Find(name) is not null)
        {
            // The routes can see a catalog update a moment before its change callback reaches us.
            Reconcile();
            _instances.ByName.TryGetValue(name, out instance);
        }
        return instance is not null
            ? instance.EnsureRunningAsync(cancellationToken)
            : ValueTask.FromException<ActiveServer>(UnknownServer(name));
    }

    /// <summary>The servers whose process runs now, with it.</summary>
    internal IEnumerable<(string Name, RunningProcess Process)> RunningProcesses()
    {
        foreach (var instance in _instances.Ordered)
        {
            if (instance.CurrentProcess is { } process)
            {
                yield return (instance.Definition.Name, process);
            }
        }
    }

    public ServerProcessSnapshot? GetSnapshot(string name) =>
        _instances.ByName.TryGetValue(name, out var instance) ? instance.Snapshot : null;

    public IReadOnlyList<ServerProcessSnapshot> GetSnapshots() => [.. _instances.Ordered.Select(i => i.Snapshot)];

    public IAsyncEnumerable<ServerProcessSnapshot> WatchAsync(CancellationToken cancellationToken) => Notifier.WatchAsync(cancellationToken);

    public ServerLogBuffer? GetLog(string name) =>
        _instances.ByName.TryGetValue(name, out var instance) ? instance.OutputLog : null;

    public Task StopAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _instances.ByName.TryGetValue(name, out var instance)
            ? instance.StopAsync(cancellationToken)
            : Task.FromException(UnknownServer(name));
    }

    public ValueTask<ActiveServer> RestartAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _instances.ByName.TryGetValue(name, out var instance)
            ? instance.RestartAsync(cancellationToken)
            : ValueTask.FromException<ActiveServer>(UnknownServer(name));
    }

    /// <summary>Nothing starts at boot (servers start on their first request); what crashed runs left behind is removed.</summary>
    async Task IHostedService.StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var directory = RunJournal.ResolveDirectory(_services.Options.RunRecordsDirectory);
            await new CrashedRunCleaner(directory, TimeProvider.System, _logger).CleanAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ProxyHost.Security.PrivateStateException)
        {
            Log.CleanupFailed(_logger, ex.Message);
        }
    }

    Task IHostedLifecycleService.StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedLifecycleService.StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Starts stopping every process tree before any hosted service stops: the web server's stop, which
    /// runs first, waits for open requests, and the processes must not wait behind it.
    /// </summary>
    Task IHostedLifecycleService.StoppingAsync(CancellationToken cancellationToken)
    {
        _ = ShutdownAsync();
        return Task.CompletedTask;
    }

    /// <summary>Waits until every process tree has stopped (SIGTERM, grace period, SIGKILL), bounded.</summary>
    Task IHostedService.StopAsync(CancellationToken cancellationToken) => ShutdownAsync();

    Task IHostedLifecycleService.StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync() => await ShutdownAsync().ConfigureAwait(false);

    private Task ShutdownAsync()
    {
        lock (_lock)
        {
            return _shutdown ??= ShutdownCoreAsync();
        }
    }

    private async Task ShutdownCoreAsync()
    {
        List<Task> stopping;
        lock (_lock)
        {
            _stopped = true;
            _catalogSubscription.Dispose();
            stopping = [.. _instances.Ordered.Select(i => i.DisposeAsync().AsTask()), .. _retiring];
        }
        var bound = _services.Options.ShutdownBound;
        try
        {
            await Task.WhenAll(stopping).WaitAsync(bound, TimeProvider.System).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.ShutdownTimedOut(_logger, bound);
        }
        _services.Runner.Limits.RemoveParentGroups();
    }

    private void Reconcile()
    {
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }
            var snapshot = _catalog.Current;
            var current = _instances;
            var byName = new Dictionary<string, ServerProcessInstance>(StringComparer.OrdinalIgnoreCase);
            var ordered = new List<ServerProcessInstance>(snapshot.Servers.Count);
            var changed = false;
            // Old instances are disposed only after the new set is published: stopping starts signalling
            // at once, and a request that sees the old process gone must already find the new instance.
            var replaced = new List<(ServerProcessInstance Old, TaskCompletionSource Retired)>();
            foreach (var definition in snapshot.Servers)
            {
                ServerProcessInstance instance;
                if (current.ByName.TryGetValue(definition.Name, out var existing) && existing.Definition == definition)
                {
                    instance = existing;
                }
                else if (existing is not null)
                {
                    Log.ServerChanged(_logger, definition.Name);
                    _limitReport.Check(definition);
                    existing.Detach();
                    var retired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    replaced.Add((existing, retired));
                    instance = new ServerProcessInstance(definition, _services, existing.OutputLog, retired.Task);
                    changed = true;
                }
                else
                {
                    Log.ServerAdded(_logger, definition.Name);
                    _limitReport.Check(definition);
                    instance = new ServerProcessInstance(definition, _services, _logs.GetOrAdd(definition.Name, _ => NewLog()));
                    changed = true;
                }
                byName[definition.Name] = instance;
                ordered.Add(instance);
            }
            var removedInstances = current.Ordered.Where(i => !byName.ContainsKey(i.Name)).ToList();
            if (changed || removedInstances.Count > 0 || ordered.Count != current.Ordered.Count)
            {
                _instances = new Instances(byName, ordered);
            }
            foreach (var (old, retired) in replaced)
            {
                Retire(old).ContinueWith(
                    static (_, signal) => ((TaskCompletionSource)signal!).TrySetResult(),
                    retired,
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
            foreach (var removed in removedInstances)
            {
                Log.ServerRemoved(_logger, removed.Name);
                var name = removed.Name;
                var retired = Retire(removed);
                _retiring.Add(retired.ContinueWith(
                    _ =>
                    {
                        if (!_instances.ByName.ContainsKey(name))
                        {
                            Notifier.Remove(name);
                            _logs.TryRemove(name, out var _);
                        }
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default));
            }
        }
    }

    private Task Retire(ServerProcessInstance instance)
    {
        var task = instance.DisposeAsync().AsTask();
        _retiring.RemoveAll(t => t.IsCompleted);
        _retiring.Add(task);
        return task;
    }

    private ServerLogBuffer NewLog() => new(_services.Options.LogCapacity, _services.TimeProvider);

    private static ServerUnavailableException UnknownServer(string name) =>
        new(name, ServerUnavailableReason.Unknown, $"no server named '{name}' is configured");

    private sealed record Instances(IReadOnlyDictionary<string, ServerProcessInstance> ByName, IReadOnlyList<ServerProcessInstance> Ordered)
    {
        public static Instances Empty { get; } = new(new Dictionary<string, ServerProcessInstance>(), []);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = SupervisionEventIds.ServerAdded, Level = LogLevel.Debug, Message = "{Server}: definition added")]
        public static partial void ServerAdded(ILogger logger, string server);

        [LoggerMessage(EventId = SupervisionEventIds.ServerChanged, Level = LogLevel.Information, Message = "{Server}: definition changed; stopping the old process, the new one starts on the next request")]
        public static partial void ServerChanged(ILogger logger, string server);

        [LoggerMessage(EventId = SupervisionEventIds.ServerRemoved, Level = LogLevel.Information, Message = "{Server}: definition removed; stopping its process")]
        public static partial void ServerRemoved(ILogger logger, string server);

        [LoggerMessage(EventId = SupervisionEventIds.ShutdownTimedOut, Level = LogLevel.Error, Message = "not every server process stopped within {Bound}")]
        public static partial void ShutdownTimedOut(ILogger logger, TimeSpan bound);

        [LoggerMessage(EventId = SupervisionEventIds.ChildSubreaper, Level = LogLevel.Debug, Message = "this process is the child subreaper: daemons of its servers re-parent to it")]
        public static partial void ChildSubreaper(ILogger logger);

        [LoggerMessage(EventId = SupervisionEventIds.CrashCleanupFailed, Level = LogLevel.Warning, Message = "cannot clean up after earlier runs that crashed: {Reason}")]
        public static partial void CleanupFailed(ILogger logger, string reason);
    }
}
