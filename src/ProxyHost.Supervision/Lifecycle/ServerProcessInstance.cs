using ProxyHost.Configuration;
using ProxyHost.Supervision.Endpoints;
using ProxyHost.Supervision.Logs;
using ProxyHost.Supervision.Processes;

namespace ProxyHost.Supervision.Lifecycle;

/// <summary>
/// One server definition as requests see it: a lazy, single-flight start shared by every waiting
/// request; stop, restart and disposal. Its runs are made by <see cref="ServerRunLoop"/> and every state
/// change goes through <see cref="ServerStateMachine"/>. A changed definition gets a new instance.
/// </summary>
internal sealed class ServerProcessInstance : IAsyncDisposable, IServerActivation
{
    private readonly InstanceServices _services;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly ServerStateMachine _state;
    private readonly ServerRunLoop _runs;
    private readonly Task _previousInstanceStopped;
    private volatile ActiveServer? _active;
    private ServerRun? _run;

    /// <summary>The process of the current run while it runs.</summary>
    internal RunningProcess? CurrentProcess => Volatile.Read(ref _run)?.Process is { HasExited: false } process ? process : null;
    private bool _disposed;
    private Task? _disposal;

    public ServerProcessInstance(ServerProcessDefinition definition, InstanceServices services, ServerLogBuffer log, Task? previousInstanceStopped = null)
    {
        Definition = definition;
        OutputLog = log;
        _services = services;
        _previousInstanceStopped = previousInstanceStopped ?? Task.CompletedTask;
        _state = new ServerStateMachine(
            new ServerProcessSnapshot { Name = definition.Name, IsManaged = definition.IsManaged, Endpoint = UnmanagedEndpoint(definition) },
            services.Notifier,
            services.Logger);
        _runs = new ServerRunLoop(definition, services, log, _state, this);
    }

    public ServerProcessDefinition Definition { get; }

    public string Name => Definition.Name;

    public ServerLogBuffer OutputLog { get; }

    public ServerProcessSnapshot Snapshot => _state.Snapshot;

    /// <summary>Starts the server if needed and returns it once ready. Running: no lock, no allocation.</summary>
    public ValueTask<ActiveServer> EnsureRunningAsync(CancellationToken cancellationToken)
    {
        if (_active is { } active)
        {
            return new ValueTask<ActiveServer>(active);
        }
        return new ValueTask<ActiveServer>(EnsureRunningSlowAsync(cancellationToken));
    }

    /// <summary>Stops the process tree (graceful, then forced); the next request starts it again.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        ServerRun? run;
        lock (_lock)
        {
            run = _run;
            if (run is null || run.Completion.IsCompleted)
            {
                if (_state.State is ServerProcessState.Exited or ServerProcessState.Failed or ServerProcessState.Backoff)
                {
                    _state.Stop();
                }
                return;
            }
            _active = null;
            _state.BeginStop();
            run.StopRequested.Cancel();
        }
        await run.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops and starts the server. An explicit restart is the user's decision, so it also closes the
    /// crash-loop circuit and clears the backoff.
    /// </summary>
    public async ValueTask<ActiveServer> RestartAsync(CancellationToken cancellationToken)
    {
        await StopAsync(cancellationToken).ConfigureAwait(false);
        if (Definition.IsManaged)
        {
            await _runs.ResetCrashLoopAsync(cancellationToken).ConfigureAwait(false);
        }
        return await EnsureRunningAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops publishing to the shared notifier: a newer instance of the same name took over.</summary>
    public void Detach() => _state.Detach();

    /// <summary>Stops the process tree, bounded by the grace period plus the kill allowance.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _disposal ??= DisposeCoreAsync();
            return new ValueTask(_disposal);
        }
    }

    bool IServerActivation.TryActivate(ServerRun run, ActiveServer active)
    {
        lock (_lock)
        {
            if (run.StopRequested.IsCancellationRequested || _disposed)
            {
                return false;
            }
            _active = active;
            _state.BecomeRunning(_services.TimeProvider.GetUtcNow());
            return true;
        }
    }

    void IServerActivation.Deactivate() => _active = null;

    private async Task DisposeCoreAsync()
    {
        ServerRun? run;
        lock (_lock)
        {
            _disposed = true;
            _active = null;
            run = _run;
            if (run is not null && !run.Completion.IsCompleted)
            {
                _state.BeginStop();
            }
        }
        _lifetime.Cancel();
        if (run is not null)
        {
            try
            {
                await run.Completion.WaitAsync(_services.Options.ShutdownBound, TimeProvider.System).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                OutputLog.Append(LogStream.Supervisor, "the process did not stop in time; killing it");
                run.Process?.Kill();
            }
        }
    }

    private Task<ActiveServer> EnsureRunningSlowAsync(CancellationToken cancellationToken)
    {
        if (!Definition.IsManaged)
        {
            return GetUnmanagedServerAsync(cancellationToken);
        }
        Task<ActiveServer> ready;
        lock (_lock)
        {
            if (_active is { } active)
            {
                return Task.FromResult(active);
            }
            if (_disposed)
            {
                return Task.FromException<ActiveServer>(new ServerUnavailableException(Name, ServerUnavailableReason.Unknown, $"server '{Name}' was removed or ProxyHost is shutting down"));
            }
            if (_run is null || _run.Ready.Task.IsCompleted)
            {
                var previous = _run?.Completion ?? _previousInstanceStopped;
                var run = new ServerRun();
                _run = run;
                run.Completion = Task.Run(() => _runs.RunAsync(run, previous, _lifetime.Token));
            }
            ready = _run.Ready.Task;
        }
        return ready.WaitAsync(cancellationToken);
    }

    private async Task<ActiveServer> GetUnmanagedServerAsync(CancellationToken cancellationToken)
    {
        if (_active is { } active)
        {
            return active;
        }
        if (_state.Snapshot.Endpoint is not { } endpoint)
        {
            throw new ServerUnavailableException(Name, ServerUnavailableReason.InvalidDefinition,
                $"server '{Name}' has no command, so it needs a fixed 'port' or 'unix_socket' path to proxy to");
        }
        try
        {
            var headers = await new ServerLaunchRenderer(Definition, _services.BaseUrl).RenderHeadersAsync(endpoint, cancellationToken).ConfigureAwait(false);
            active = new ActiveServer(Name, endpoint, headers);
        }
        catch (FormatException ex)
        {
            throw new ServerUnavailableException(Name, ServerUnavailableReason.InvalidDefinition, ex.Message, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new ServerUnavailableException(Name, ServerUnavailableReason.InvalidDefinition, $"server '{Name}': the request headers callback failed: {ex.Message}", ex);
        }
        _active = active;
        return active;
    }

    private static ServerEndpoint? UnmanagedEndpoint(ServerProcessDefinition definition) =>
        definition.IsManaged ? null
        : definition.UnixSocket.Path is { } path ? ServerEndpoint.UnixSocket(path)
        : !definition.UnixSocket.Enabled && definition.Port > 0 ? ServerEndpoint.Tcp(definition.Port)
        : null;
}
