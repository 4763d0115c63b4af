using System.Globalization;
using Polly.Timeout;
using ProxyHost.Supervision.Endpoints;
using ProxyHost.Supervision.Logs;
using ProxyHost.Supervision.Processes;
using ProxyHost.Supervision.Readiness;
using ProxyHost.Supervision.Restarts;

namespace ProxyHost.Supervision.Lifecycle;

/// <summary>A launched process: probed until it is ready, then watched until it ends or is stopped.</summary>
internal sealed partial class ServerRunLoop
{
    private static readonly TimeSpan OutputDrainWait = TimeSpan.FromMilliseconds(500);

    private async Task<RunOutcome> SuperviseAsync(ServerRun run, RunningProcess process, ServerEndpoint endpoint, RenderedLaunch rendered, CancellationToken cancellationToken)
    {
        if (await WaitUntilReadyAsync(run, process, endpoint, cancellationToken).ConfigureAwait(false) is { } notReady)
        {
            return notReady;
        }

        var active = new ActiveServer(Name, endpoint, rendered.Headers);
        if (!_activation.TryActivate(run, active))
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

        _activation.Deactivate();
        await DrainOutputAsync(process).ConfigureAwait(false);
        await StopProcessAsync(process).ConfigureAwait(false);
        var quick = exited.Time - process.StartTime < _services.Options.MinimumUptime;
        _output.Append(LogStream.Supervisor, $"process {process.ProcessId} exited with {Describe(exited)}");
        if (exited.ExitCode == 0)
        {
            Log.ProcessExited(_logger, Name, process.ProcessId, Describe(exited));
        }
        else
        {
            Log.ProcessExitedUnexpectedly(_logger, Name, process.ProcessId, Describe(exited));
        }
        _state.Exit(exited, $"server '{Name}' exited with {Describe(exited)}");
        return quick ? RunOutcome.QuickExit : RunOutcome.Exited;
    }

    /// <summary>Null once the server answers; otherwise how the run ended (stopped, or failed and reported).</summary>
    private async Task<RunOutcome?> WaitUntilReadyAsync(ServerRun run, RunningProcess process, ServerEndpoint endpoint, CancellationToken cancellationToken)
    {
        using var readiness = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var probing = _readinessPipeline.ExecuteAsync(
            static (state, token) => state.Loop.ProbeStartedProcessAsync(state.Process, state.Endpoint, token),
            (Loop: this, Process: process, Endpoint: endpoint),
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
        if (probing.IsCompletedSuccessfully && probing.Result && !process.HasExited)
        {
            return null;
        }
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
                $"server '{Name}' did not answer on {endpoint} within {_definition.Timeout.TotalSeconds:0.###} s and was stopped", process.Exited.IsCompleted ? process.Exited.Result : null, null)
            : Fail(run, ServerUnavailableReason.LaunchFailed,
                $"server '{Name}' could not be probed: {probing.Exception?.InnerException?.Message}", null, probing.Exception?.InnerException);
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
        var answered = _definition.RawSocketProxy
            ? await _services.ConnectProbe.ProbeAsync(endpoint, cancellationToken).ConfigureAwait(false)
            : await _services.HttpProbe.ProbeAsync(endpoint, _definition.ReadyCheckPath, _definition.ReadyStatus, cancellationToken).ConfigureAwait(false);
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

    private async Task<RunOutcome> StopForRequestAsync(ServerRun run, RunningProcess process)
    {
        _activation.Deactivate();
        var wasRunning = !process.HasExited;
        var exit = await StopProcessAsync(process).ConfigureAwait(false);
        if (wasRunning && exit is not null)
        {
            run.StopExit = exit;
            _output.Append(LogStream.Supervisor, $"process {process.ProcessId} stopped with {Describe(exit)}");
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

    private static string Describe(ProcessExit exit) =>
        (exit.Signal is { } signal ? $"signal {signal} (exit code {exit.ExitCode})" : $"exit code {exit.ExitCode}")
        + (exit.LimitReached is { } limit ? $"; stopped: {limit}" : "");
}
