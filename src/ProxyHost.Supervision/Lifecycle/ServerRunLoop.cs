using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using ProxyHost.Configuration;
using ProxyHost.Security;
using ProxyHost.Supervision.Endpoints;
using ProxyHost.Supervision.Logs;
using ProxyHost.Supervision.Processes;
using ProxyHost.Supervision.Readiness;
using ProxyHost.Supervision.Restarts;

namespace ProxyHost.Supervision.Lifecycle;

/// <summary>
/// One server's runs, one after another: the backoff after quick failures, the crash-loop breaker, and
/// each launch (endpoint, rendered command, process). Watching a launched process until it is ready and
/// until it ends is in ServerRunLoop.Supervise.cs.
/// </summary>
internal sealed partial class ServerRunLoop
{
    private readonly ServerProcessDefinition _definition;
    private readonly InstanceServices _services;
    private readonly ILogger _logger;
    private readonly ServerLogBuffer _output;
    private readonly ServerStateMachine _state;
    private readonly IServerActivation _activation;
    private readonly ServerLaunchRenderer _renderer;
    private readonly CrashLoopBreaker _crashLoopBreaker;
    private readonly ResiliencePipeline<bool> _readinessPipeline;
    private int _launches;
    private int _quickFailures;
    private int? _allocatedPort;

    public ServerRunLoop(ServerProcessDefinition definition, InstanceServices services, ServerLogBuffer output, ServerStateMachine state, IServerActivation activation)
    {
        (_definition, _services, _logger, _output, _state, _activation) = (definition, services, services.Logger, output, state, activation);
        _renderer = new ServerLaunchRenderer(definition, services.BaseUrl);
        _crashLoopBreaker = new CrashLoopBreaker(services.Options, services.TimeProvider, OnCircuitOpened);
        _readinessPipeline = RestartPipelineFactory.CreateReadinessPipeline(definition.Timeout, services.Options, TimeProvider.System);
    }

    private string Name => _definition.Name;

    /// <summary>An explicit restart is the user's decision: the crash-loop circuit closes and the backoff is cleared.</summary>
    public async Task ResetCrashLoopAsync(CancellationToken cancellationToken)
    {
        await _crashLoopBreaker.ResetAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _quickFailures, 0);
    }

    /// <summary>Runs once, after <paramref name="previous"/> has ended; ends when the process is gone.</summary>
    public async Task RunAsync(ServerRun run, Task previous, CancellationToken lifetime)
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

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(run.StopRequested.Token, lifetime);
        try
        {
            if (_quickFailures > 0 && !_crashLoopBreaker.IsOpen)
            {
                var delay = RestartPipelineFactory.GetRestartBackoff(_quickFailures, _services.Options);
                var retryAt = _services.TimeProvider.GetUtcNow() + delay;
                // The timer is armed before the state says Backoff, so whoever sees the state can rely on the retry time.
                var backoff = Task.Delay(delay, _services.TimeProvider, stop.Token);
                _state.WaitForBackoff(retryAt);
                Log.BackingOff(_logger, Name, delay);
                await backoff.ConfigureAwait(false);
            }

            var outcome = await _crashLoopBreaker.ExecuteAsync(
                static (state, token) => new ValueTask<RunOutcome>(state.Loop.RunOnceAsync(state.Run, token)),
                (Loop: this, Run: run),
                stop.Token).ConfigureAwait(false);

            _quickFailures = outcome switch
            {
                RunOutcome.FailedToStart or RunOutcome.QuickExit => _quickFailures + 1,
                RunOutcome.Exited => 0,
                _ => _quickFailures,
            };
            if (outcome == RunOutcome.Stopped)
            {
                Stopped(run);
            }
        }
        catch (BrokenCircuitException ex)
        {
            var retryAt = ex.RetryAfter is { } after ? _services.TimeProvider.GetUtcNow() + after : (DateTimeOffset?)null;
            var message = $"server '{Name}' failed {_services.Options.CrashLoopFailureThreshold} times in a row and is suspended"
                + (retryAt is { } at ? $" until {at:HH:mm:ss} UTC" : "") + "; check its log";
            _state.Suspend(message, retryAt);
            run.Ready.TrySetException(new ServerUnavailableException(Name, ServerUnavailableReason.CrashLoop, message, ex)
            {
                RetryAt = retryAt,
                Exit = _state.Snapshot.LastExit,
                OutputTail = _output.Tail(_services.Options.OutputTailLines),
            });
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Stopped(run);
        }
        catch (Exception ex)
        {
            Log.UnexpectedError(_logger, Name, ex);
            var message = $"server '{Name}' could not be started: {ex.Message}";
            _state.Fail(message);
            run.Ready.TrySetException(new ServerUnavailableException(Name, ServerUnavailableReason.LaunchFailed, message, ex));
        }
    }

    private void Stopped(ServerRun run)
    {
        run.Ready.TrySetException(new ServerUnavailableException(Name, ServerUnavailableReason.Stopped, $"server '{Name}' was stopped while starting"));
        _state.Stop(run.StopExit);
    }

    private async Task<RunOutcome> RunOnceAsync(ServerRun run, CancellationToken cancellationToken)
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
            if (_definition.Port > 0 && LoopbackPortCheck.IsInUse(endpoint.Port))
            {
                return Fail(run, ServerUnavailableReason.EndpointInUse,
                    $"port {endpoint.Port} is already in use by another process; ProxyHost did not start '{Name}'", null, null);
            }

            RenderedLaunch rendered;
            try
            {
                rendered = await _renderer.RenderAsync(endpoint, cancellationToken).ConfigureAwait(false);
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
            _state.Start(endpoint, _services.TimeProvider.GetUtcNow(), restarts);

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
                _output.Append(LogStream.Supervisor, $"started process {process.ProcessId}: {rendered.Command}");
                Log.ProcessStarted(_logger, Name, process.ProcessId, rendered.Command.ToString());
                _state.ProcessLaunched(process.ProcessId, process.StartTime);
                return await SuperviseAsync(run, process, endpoint, rendered, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            socketDirectory?.Dispose();
        }
    }

    private RunOutcome Fail(ServerRun run, ServerUnavailableReason reason, string message, ProcessExit? exit, Exception? inner)
    {
        if (reason != ServerUnavailableReason.InvalidDefinition)
        {
            _allocatedPort = null;
        }
        _output.Append(LogStream.Supervisor, message);
        Log.StartFailed(_logger, Name, reason, message);
        _state.Fail(message, exit);
        run.Ready.TrySetException(new ServerUnavailableException(Name, reason, message, inner)
        {
            Exit = exit,
            OutputTail = _output.Tail(_services.Options.OutputTailLines),
        });
        return RunOutcome.FailedToStart;
    }

    private (ServerEndpoint Endpoint, UnixSocketDirectory? Directory) AllocateEndpoint()
    {
        if (_definition.UnixSocket.Enabled)
        {
            if (_definition.UnixSocket.Path is { } path)
            {
                return (ServerEndpoint.UnixSocket(path), null);
            }
            var directory = _services.SocketAllocator.Allocate(Name);
            return (ServerEndpoint.UnixSocket(directory.SocketPath), directory);
        }
        var port = _definition.Port > 0 ? _definition.Port : _allocatedPort ??= _services.PortAllocator.AllocatePort();
        return (ServerEndpoint.Tcp(port), null);
    }

    private void OnOutput(ProcessOutputLine line)
    {
        if (line.IsStandardError)
        {
            _output.Append(LogStream.StandardError, line.Text);
            Log.StandardError(_logger, Name, line.Text);
        }
        else
        {
            _output.Append(LogStream.StandardOutput, line.Text);
            Log.StandardOutput(_logger, Name, line.Text);
        }
    }

    private ValueTask OnCircuitOpened(OnCircuitOpenedArguments<RunOutcome> arguments)
    {
        Log.CrashLoopOpened(_logger, Name, arguments.BreakDuration);
        _output.Append(LogStream.Supervisor, $"failed too often; starts suspended for {arguments.BreakDuration.TotalSeconds:0.#} s");
        return ValueTask.CompletedTask;
    }
}
