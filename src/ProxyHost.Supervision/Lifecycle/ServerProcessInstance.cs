using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ProxyHost.Configuration;
using ProxyHost.Security;
using ProxyHost.Supervision.Endpoints;
using ProxyHost.Supervision.Logs;
using ProxyHost.Supervision.Processes;
using ProxyHost.Supervision.Readiness;
using ProxyHost.Supervision.Restarts;
using ProxyHost.Templating;

namespace ProxyHost.Supervision.Lifecycle;

/// <summary>
/// The state machine of one server definition: lazy single-flight start, readiness wait, exit
/// detection, backoff and crash-loop protection, stop. A changed definition gets a new instance.
/// Only this type mutates the server's state, and it publishes every change as a new snapshot.
/// </summary>
internal sealed partial class ServerProcessInstance : IAsyncDisposable
{
    private static readonly TimeSpan OutputDrainWait = TimeSpan.FromMilliseconds(500);

    private readonly InstanceServices _services;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly CrashLoopBreaker _crashLoopBreaker;
    private readonly ResiliencePipeline<bool> _readinessPipeline;
    private readonly Task _previousInstanceStopped;
    private ServerProcessSnapshot _snapshot;
    private volatile ActiveServer? _active;
    private Run? _run;
    private int _launches;
    private int _quickFailures;
    private int? _allocatedPort;
    private bool _attached = true;
    private bool _disposed;
    private Task? _disposal;

    public ServerProcessInstance(ServerProcessDefinition definition, InstanceServices services, ServerLogBuffer log, Task? previousInstanceStopped = null)
    {
        Definition = definition;
        OutputLog = log;
        _services = services;
        _logger = services.Logger;
        _previousInstanceStopped = previousInstanceStopped ?? Task.CompletedTask;
        _crashLoopBreaker = new CrashLoopBreaker(services.Options, services.TimeProvider, OnCircuitOpened);
        _readinessPipeline = RestartPipelineFactory.CreateReadinessPipeline(definition.Timeout, services.Options, services.TimeProvider);
        _snapshot = services.Notifier.Publish(new ServerProcessSnapshot
        {
            Name = definition.Name,
            IsManaged = definition.IsManaged,
            Endpoint = UnmanagedEndpoint(definition),
        });
    }

    public ServerProcessDefinition Definition { get; }

    public string Name => Definition.Name;

    public ServerLogBuffer OutputLog { get; }

    public ServerProcessSnapshot Snapshot => _snapshot;

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
        Run? run;
        lock (_lock)
        {
            run = _run;
            if (run is null || run.Completion.IsCompleted)
            {
                if (_snapshot.State is ServerProcessState.Exited or ServerProcessState.Failed or ServerProcessState.Backoff)
                {
                    PublishLocked(s => s with { State = ServerProcessState.Stopped, ProcessId = null, RetryAt = null });
                }
                return;
            }
            _active = null;
            PublishLocked(s => s with { State = ServerProcessState.Stopping, RetryAt = null });
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
            await _crashLoopBreaker.ResetAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _quickFailures, 0);
        }
        return await EnsureRunningAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops publishing to the shared notifier: a newer instance of the same name took over.</summary>
    public void Detach()
    {
        lock (_lock)
        {
            _attached = false;
        }
    }

    /// <summary>Stops the process tree, bounded by the grace period plus the kill allowance.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _disposal ??= DisposeCoreAsync();
            return new ValueTask(_disposal);
        }
    }

    private async Task DisposeCoreAsync()
    {
        Run? run;
        lock (_lock)
        {
            _disposed = true;
            _active = null;
            run = _run;
            if (run is not null && !run.Completion.IsCompleted)
            {
                PublishLocked(s => s with { State = ServerProcessState.Stopping, RetryAt = null });
            }
        }
        _lifetime.Cancel();
        if (run is not null)
        {
            try
            {
                await run.Completion.WaitAsync(_services.Options.ShutdownBound, _services.TimeProvider).ConfigureAwait(false);
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
                var run = new Run();
                _run = run;
                run.Completion = Task.Run(() => RunAsync(run, previous));
            }
            ready = _run.Ready.Task;
        }
        return ready.WaitAsync(cancellationToken);
    }

    private async Task RunAsync(Run run, Task previous)
    {
        using var logScope = _logger.BeginScope(new ServerLogScope(Name));
        try
        {
            await previous.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The previous run reported its own failure; this one starts regardless.
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(run.StopRequested.Token, _lifetime.Token);
        try
        {
            if (_quickFailures > 0 && !_crashLoopBreaker.IsOpen)
            {
                var delay = RestartPipelineFactory.GetRestartBackoff(_quickFailures, _services.Options);
                var retryAt = _services.TimeProvider.GetUtcNow() + delay;
                Publish(s => s with { State = ServerProcessState.Backoff, RetryAt = retryAt, ProcessId = null });
                Log.BackingOff(_logger, Name, delay);
                await Task.Delay(delay, _services.TimeProvider, stop.Token).ConfigureAwait(false);
            }

            var outcome = await _crashLoopBreaker.ExecuteAsync(
                static (state, token) => new ValueTask<RunOutcome>(state.Instance.RunOnceAsync(state.Run, token)),
                (Instance: this, Run: run),
                stop.Token).ConfigureAwait(false);

            _quickFailures = outcome switch
            {
                RunOutcome.FailedToStart or RunOutcome.QuickExit => _quickFailures + 1,
                RunOutcome.Exited => 0,
                _ => _quickFailures,
            };
            if (outcome == RunOutcome.Stopped)
            {
                PublishStopped(run);
            }
        }
        catch (BrokenCircuitException ex)
        {
            var retryAt = ex.RetryAfter is { } after ? _services.TimeProvider.GetUtcNow() + after : (DateTimeOffset?)null;
            var message = $"server '{Name}' failed {_services.Options.CrashLoopFailureThreshold} times in a row and is suspended"
                + (retryAt is { } at ? $" until {at:HH:mm:ss} UTC" : "") + "; check its log";
            Publish(s => s with { State = ServerProcessState.Failed, LastError = message, RetryAt = retryAt, ProcessId = null });
            run.Ready.TrySetException(new ServerUnavailableException(Name, ServerUnavailableReason.CrashLoop, message, ex)
            {
                RetryAt = retryAt,
                Exit = _snapshot.LastExit,
                OutputTail = OutputLog.Tail(_services.Options.OutputTailLines),
            });
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            PublishStopped(run);
        }
        catch (Exception ex)
        {
            Log.UnexpectedError(_logger, Name, ex);
            var message = $"server '{Name}' could not be started: {ex.Message}";
            Publish(s => s with { State = ServerProcessState.Failed, LastError = message, ProcessId = null });
            run.Ready.TrySetException(new ServerUnavailableException(Name, ServerUnavailableReason.LaunchFailed, message, ex));
        }
    }

    private void PublishStopped(Run run)
    {
        run.Ready.TrySetException(new ServerUnavailableException(Name, ServerUnavailableReason.Stopped, $"server '{Name}' was stopped while starting"));
        Publish(s => s with { State = ServerProcessState.Stopped, ProcessId = null, RetryAt = null, LastExit = run.StopExit ?? s.LastExit });
    }

    private async Task<RunOutcome> RunOnceAsync(Run run, CancellationToken cancellationToken)
    {
        UnixSocketDirectory? socketDirectory = null;
        try
        {
            ServerEndpoint endpoint;
            try
            {
                (endpoint, socketDirectory) = AllocateEndpoint();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException or PrivateStateException)
            {
                return Fail(run, ServerUnavailableReason.LaunchFailed, $"server '{Name}' could not get an endpoint: {ex.Message}", null, ex);
            }
            if (Definition.Port > 0 && LoopbackPortCheck.IsInUse(endpoint.Port))
            {
                return Fail(run, ServerUnavailableReason.EndpointInUse,
                    $"port {endpoint.Port} is already in use by another process; ProxyHost did not start '{Name}'", null, null);
            }

            RenderedCommand rendered;
            try
            {
                rendered = await RenderAsync(endpoint, cancellationToken).ConfigureAwait(false);
            }
            catch (FormatException ex)
            {
                return Fail(run, ServerUnavailableReason.InvalidDefinition, ex.Message, null, ex);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return Fail(run, ServerUnavailableReason.InvalidDefinition, $"server '{Name}': a callback failed: {ex.Message}", null, ex);
            }

            var restarts = Interlocked.Increment(ref _launches) - 1;
            var startedAt = _services.TimeProvider.GetUtcNow();
            Publish(s => s with
            {
                State = ServerProcessState.Starting,
                Endpoint = endpoint,
                ProcessId = null,
                StartedAt = startedAt,
                ReadyAt = null,
                Restarts = restarts,
                LastError = null,
                RetryAt = null,
            });

            RunningProcess process;
            try
            {
                process = _services.Runner.Start(rendered.Command, OnOutput);
            }
            catch (ProcessLaunchException ex)
            {
                return Fail(run, ServerUnavailableReason.LaunchFailed, $"server '{Name}': {ex.Message}", null, ex);
            }

            await using (process.ConfigureAwait(false))
            {
                using var record = _services.Journal.Record(Name, process, socketDirectory?.DirectoryPath);
                run.Process = process;
                OutputLog.Append(LogStream.Supervisor, $"started process {process.ProcessId}: {rendered.Command}");
                Log.ProcessStarted(_logger, Name, process.ProcessId, rendered.Command.ToString());
                Publish(s => s with { ProcessId = process.ProcessId, StartedAt = process.StartTime });
                return await SuperviseAsync(run, process, endpoint, rendered, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            socketDirectory?.Dispose();
        }
    }

    private async Task<RunOutcome> SuperviseAsync(Run run, RunningProcess process, ServerEndpoint endpoint, RenderedCommand rendered, CancellationToken cancellationToken)
    {
        using (var readiness = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var probing = _readinessPipeline.ExecuteAsync(
                static (state, token) => state.Instance.ProbeStartedProcessAsync(state.Process, state.Endpoint, token),
                (Instance: this, Process: process, Endpoint: endpoint),
                readiness.Token).AsTask();
            var first = await Task.WhenAny(probing, process.Exited).ConfigureAwait(false);
            if (first != probing)
            {
                await readiness.CancelAsync().ConfigureAwait(false);
            }
            await ((Task)probing).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);

            if (cancellationToken.IsCancellationRequested)
            {
                return await StopForRequestAsync(run, process).ConfigureAwait(false);
            }
            if (probing.Exception?.InnerException is ReadinessRejectedException rejected)
            {
                await StopProcessAsync(process).ConfigureAwait(false);
                await DrainOutputAsync(process).ConfigureAwait(false);
                return Fail(run, ServerUnavailableReason.EndpointInUse, rejected.Message, null, rejected);
            }
            if (!probing.IsCompletedSuccessfully || !probing.Result || process.HasExited)
            {
                if (process.Exited.IsCompleted)
                {
                    var exit = await process.Exited.ConfigureAwait(false);
                    await DrainOutputAsync(process).ConfigureAwait(false);
                    await StopProcessAsync(process).ConfigureAwait(false);
                    return Fail(run, ServerUnavailableReason.ExitedWhileStarting,
                        $"server '{Name}' exited with {Describe(exit)} before it was ready; see its output", exit, null);
                }
                var timedOut = probing.Exception?.InnerException is TimeoutRejectedException;
                await StopProcessAsync(process).ConfigureAwait(false);
                await DrainOutputAsync(process).ConfigureAwait(false);
                return timedOut
                    ? Fail(run, ServerUnavailableReason.TimedOut,
                        $"server '{Name}' did not answer on {endpoint} within {Definition.Timeout.TotalSeconds:0.###} s and was stopped", process.Exited.IsCompleted ? process.Exited.Result : null, null)
                    : Fail(run, ServerUnavailableReason.LaunchFailed,
                        $"server '{Name}' could not be probed: {probing.Exception?.InnerException?.Message}", null, probing.Exception?.InnerException);
            }
        }

        var active = new ActiveServer(Name, endpoint, rendered.Headers);
        lock (_lock)
        {
            if (run.StopRequested.IsCancellationRequested || _disposed)
            {
                active = null;
            }
            else
            {
                _active = active;
                PublishLocked(s => s with { State = ServerProcessState.Running, ReadyAt = _services.TimeProvider.GetUtcNow() });
            }
        }
        if (active is null)
        {
            return await StopForRequestAsync(run, process).ConfigureAwait(false);
        }
        run.Ready.TrySetResult(active);

        ProcessExit exited;
        try
        {
            exited = await process.Exited.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return await StopForRequestAsync(run, process).ConfigureAwait(false);
        }

        _active = null;
        await DrainOutputAsync(process).ConfigureAwait(false);
        await StopProcessAsync(process).ConfigureAwait(false);
        var quick = exited.Time - process.StartTime < _services.Options.MinimumUptime;
        OutputLog.Append(LogStream.Supervisor, $"process {process.ProcessId} exited with {Describe(exited)}");
        if (exited.ExitCode == 0)
        {
            Log.ProcessExited(_logger, Name, process.ProcessId, Describe(exited));
        }
        else
        {
            Log.ProcessExitedUnexpectedly(_logger, Name, process.ProcessId, Describe(exited));
        }
        Publish(s => s with { State = ServerProcessState.Exited, LastExit = exited, ProcessId = null, LastError = $"server '{Name}' exited with {Describe(exited)}" });
        return quick ? RunOutcome.QuickExit : RunOutcome.Exited;
    }

    /// <summary>
    /// One readiness attempt. Another process may answer on the endpoint (it bound the port first, or
    /// the server died): an answer counts only while the started process lives and, where /proc tells
    /// who holds the listening socket, only when the started process tree holds it.
    /// </summary>
    private async ValueTask<bool> ProbeStartedProcessAsync(RunningProcess process, ServerEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (process.HasExited)
        {
            return false;
        }
        var answered = Definition.RawSocketProxy
            ? await _services.ConnectProbe.ProbeAsync(endpoint, cancellationToken).ConfigureAwait(false)
            : await _services.HttpProbe.ProbeAsync(endpoint, Definition.ReadyCheckPath, Definition.ReadyStatus, cancellationToken).ConfigureAwait(false);
        if (!answered || process.HasExited)
        {
            return false;
        }
        if (ListenerOwnership.Find(endpoint, process.ProcessId) == ListenerOwner.Other)
        {
            var where = endpoint.UnixSocketPath is { } path ? "unix socket " + path : "port " + endpoint.Port.ToString(CultureInfo.InvariantCulture);
            throw new ReadinessRejectedException($"{where} is answered by a process ProxyHost did not start; '{Name}' was stopped");
        }
        return true;
    }

    private RunOutcome Fail(Run run, ServerUnavailableReason reason, string message, ProcessExit? exit, Exception? inner)
    {
        if (reason != ServerUnavailableReason.InvalidDefinition)
        {
            _allocatedPort = null;
        }
        OutputLog.Append(LogStream.Supervisor, message);
        Log.StartFailed(_logger, Name, reason, message);
        Publish(s => s with { State = ServerProcessState.Failed, LastError = message, LastExit = exit ?? s.LastExit, ProcessId = null });
        run.Ready.TrySetException(new ServerUnavailableException(Name, reason, message, inner)
        {
            Exit = exit,
            OutputTail = OutputLog.Tail(_services.Options.OutputTailLines),
        });
        return RunOutcome.FailedToStart;
    }

    private async Task<ProcessExit?> StopProcessAsync(RunningProcess process)
    {
        try
        {
            return await process.StopAsync(_services.Options.StopGracePeriod).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            Log.StopFailed(_logger, Name, process.ProcessId, ex);
            return null;
        }
    }

    private async Task<RunOutcome> StopForRequestAsync(Run run, RunningProcess process)
    {
        _active = null;
        var wasRunning = !process.HasExited;
        var exit = await StopProcessAsync(process).ConfigureAwait(false);
        if (wasRunning && exit is not null)
        {
            run.StopExit = exit;
            OutputLog.Append(LogStream.Supervisor, $"process {process.ProcessId} stopped with {Describe(exit)}");
            Log.ProcessStopped(_logger, Name, process.ProcessId, Describe(exit));
        }
        return RunOutcome.Stopped;
    }

    private static async Task DrainOutputAsync(RunningProcess process)
    {
        try
        {
            await process.OutputCompleted.WaitAsync(OutputDrainWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    private void OnOutput(ProcessOutputLine line)
    {
        if (line.IsStandardError)
        {
            OutputLog.Append(LogStream.StandardError, line.Text);
            Log.StandardError(_logger, Name, line.Text);
        }
        else
        {
            OutputLog.Append(LogStream.StandardOutput, line.Text);
            Log.StandardOutput(_logger, Name, line.Text);
        }
    }

    private (ServerEndpoint Endpoint, UnixSocketDirectory? Directory) AllocateEndpoint()
    {
        if (Definition.UnixSocket.Enabled)
        {
            if (Definition.UnixSocket.Path is { } path)
            {
                return (ServerEndpoint.UnixSocket(path), null);
            }
            var directory = _services.SocketAllocator.Allocate(Name);
            return (ServerEndpoint.UnixSocket(directory.SocketPath), directory);
        }
        var port = Definition.Port > 0 ? Definition.Port : _allocatedPort ??= _services.PortAllocator.AllocatePort();
        return (ServerEndpoint.Tcp(port), null);
    }

    private async Task<RenderedCommand> RenderAsync(ServerEndpoint endpoint, CancellationToken cancellationToken)
    {
        var values = new TemplateValues(endpoint.Port, endpoint.UnixSocketPath ?? "", _services.BaseUrl);
        var context = CallbackContext(endpoint, cancellationToken);
        var argv = new List<string>(Definition.Command.Count);
        if (Definition.CommandCallback is { } commandCallback)
        {
            // A callback already has the values; its result is used as is (jupyter-server-proxy formats it once more).
            argv.AddRange(await commandCallback(context).ConfigureAwait(false));
            if (argv.Count == 0)
            {
                throw new FormatException($"server '{Name}': the command callback returned no arguments");
            }
        }
        else
        {
            for (var i = 0; i < Definition.Command.Count; i++)
            {
                argv.Add(Expand(Definition.Command[i], values, $"command[{i}]"));
            }
        }
        var environment = Definition.Environment.Select(e => KeyValuePair.Create(e.Key, (string?)Expand(e.Value, values, $"environment '{e.Key}'"))).ToList();
        if (Definition.EnvironmentCallback is { } environmentCallback)
        {
            environment.AddRange((await environmentCallback(context).ConfigureAwait(false)).Select(e => KeyValuePair.Create(e.Key, (string?)e.Value)));
        }
        return new RenderedCommand(ProcessCommand.FromArgv(argv).WithEnvironment(environment), await RenderHeadersAsync(endpoint, values, cancellationToken).ConfigureAwait(false));
    }

    private ServerProcessContext CallbackContext(ServerEndpoint endpoint, CancellationToken cancellationToken) => new()
    {
        ServerName = Name,
        Port = endpoint.Port,
        UnixSocket = endpoint.UnixSocketPath,
        BaseUrl = _services.BaseUrl,
        CancellationToken = cancellationToken,
    };

    private async Task<FrozenDictionary<string, string>> RenderHeadersAsync(ServerEndpoint endpoint, TemplateValues values, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, template) in Definition.RequestHeadersOverride)
        {
            headers[name] = Expand(template, values, $"request header '{name}'");
        }
        if (Definition.RequestHeadersCallback is { } callback)
        {
            foreach (var (name, value) in await callback(CallbackContext(endpoint, cancellationToken)).ConfigureAwait(false))
            {
                headers[name] = value;
            }
        }
        return headers.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    private string Expand(string template, TemplateValues values, string location)
    {
        try
        {
            return PlaceholderTemplate.Expand(template, values);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"server '{Name}': {location}: {ex.Message}", ex);
        }
    }

    private async Task<ActiveServer> GetUnmanagedServerAsync(CancellationToken cancellationToken)
    {
        if (_active is { } active)
        {
            return active;
        }
        if (_snapshot.Endpoint is not { } endpoint)
        {
            throw new ServerUnavailableException(Name, ServerUnavailableReason.InvalidDefinition,
                $"server '{Name}' has no command, so it needs a fixed 'port' or 'unix_socket' path to proxy to");
        }
        try
        {
            var values = new TemplateValues(endpoint.Port, endpoint.UnixSocketPath ?? "", _services.BaseUrl);
            active = new ActiveServer(Name, endpoint, await RenderHeadersAsync(endpoint, values, cancellationToken).ConfigureAwait(false));
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

    private ValueTask OnCircuitOpened(OnCircuitOpenedArguments<RunOutcome> arguments)
    {
        Log.CrashLoopOpened(_logger, Name, arguments.BreakDuration);
        OutputLog.Append(LogStream.Supervisor, $"failed too often; starts suspended for {arguments.BreakDuration.TotalSeconds:0.#} s");
        return ValueTask.CompletedTask;
    }

    private void Publish(Func<ServerProcessSnapshot, ServerProcessSnapshot> update)
    {
        lock (_lock)
        {
            PublishLocked(update);
        }
    }

    private void PublishLocked(Func<ServerProcessSnapshot, ServerProcessSnapshot> update)
    {
        var previous = _snapshot;
        var next = update(previous);
        _snapshot = _attached ? _services.Notifier.Publish(next) : next with { Version = previous.Version + 1 };
        if (previous.State != next.State)
        {
            Log.StateChanged(_logger, Name, previous.State, next.State);
        }
    }

    private static string Describe(ProcessExit exit) =>
        exit.Signal is { } signal ? $"signal {signal} (exit code {exit.ExitCode})" : $"exit code {exit.ExitCode}";

    private sealed record RenderedCommand(ProcessCommand Command, FrozenDictionary<string, string> Headers);

    private sealed class Run
    {
        public TaskCompletionSource<ActiveServer> Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenSource StopRequested { get; } = new();

        public Task Completion { get; set; } = Task.CompletedTask;

        public RunningProcess? Process { get; set; }

        /// <summary>How the process ended when it was stopped on purpose.</summary>
        public ProcessExit? StopExit { get; set; }
    }
}

/// <summary>What every instance of one supervisor shares.</summary>
internal sealed record InstanceServices(
    SupervisionOptions Options,
    string BaseUrl,
    ProcessRunner Runner,
    PortAllocator PortAllocator,
    UnixSocketPathAllocator SocketAllocator,
    HttpReadinessProbe HttpProbe,
    ConnectReadinessProbe ConnectProbe,
    ServerStateNotifier Notifier,
    TimeProvider TimeProvider,
    RunJournal Journal,
    ILogger Logger);
