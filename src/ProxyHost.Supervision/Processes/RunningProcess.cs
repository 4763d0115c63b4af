using System.Diagnostics;
using CliWrap;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Supervision.Limits;

namespace ProxyHost.Supervision.Processes;

/// <summary>
/// A child process started through CliWrap, which owns the process object, the pipes and their
/// reading. Stopping is ProxyHost's own, because CliWrap signals only the direct child: graceful first
/// (SIGTERM to its whole <see cref="ProcessTree"/>: the process group, daemons that carry the launch's
/// marker, their descendants), forceful second (SIGKILL to the same tree), and every wait is bounded:
/// a grandchild that holds the output pipes cannot make a stop hang. Stop, restart and shutdown all end here.
/// </summary>
internal sealed class RunningProcess : IAsyncDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly ServerCgroup? _group;
    private readonly TaskCompletionSource<ProcessExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // CliWrap's forceful cancellation: cancelled only on dispose, after the tree was killed, as the last resort
    // (it kills the direct child's tree and stops reading its pipes).
    private readonly CancellationTokenSource _abandon = new();
    private int _disposed;

    private Process? _process;
    private ProcessTree _tree = new(0, 0, null);

    private RunningProcess(ProcessCommand command, string marker, ServerCgroup? group, TimeProvider timeProvider)
    {
        Command = command;
        Marker = marker;
        _group = group;
        _timeProvider = timeProvider;
    }

    public ProcessCommand Command { get; }

    /// <summary>The value of <see cref="ProcessTree.MarkerVariable"/> in this launch's environment.</summary>
    public string Marker { get; }

    public int ProcessId { get; private set; }

    public DateTimeOffset StartTime { get; private set; }

    /// <summary>Completes when the process itself has exited (not when its output pipes close).</summary>
    public Task<ProcessExit> Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>Its process tree: its group, daemons that carry its marker, and their descendants.</summary>
    public ProcessTree Tree => _tree;

    /// <summary>
    /// Completes when the process has exited and both output pipes reached end of file (never faults).
    /// A grandchild that inherited the pipes can hold this open after <see cref="Exited"/>; wait on it only with a bound.
    /// </summary>
    public Task OutputCompleted { get; private set; } = Task.CompletedTask;

    /// <summary>How long <see cref="StopAsync"/> waits after SIGKILL before giving up.</summary>
    internal static TimeSpan KillWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Starts <paramref name="cli"/> (forking on the calling thread) with stdin closed and its output read line by line.</summary>
    internal static RunningProcess Start(
        Command cli, ProcessCommand command, bool leadsProcessGroup, string marker, ServerCgroup? group, Action<ProcessOutputLine>? onOutput, TimeProvider timeProvider)
    {
        var running = new RunningProcess(command, marker, group, timeProvider);
        var execution = cli
            .WithStandardOutputPipe(running.OutputTarget(false, onOutput))
            .WithStandardErrorPipe(running.OutputTarget(true, onOutput))
            .ExecuteAsync(null, process => running.OnStarted(process, leadsProcessGroup), running._abandon.Token, CancellationToken.None);
        // Reading the exception marks it observed: a failed read or an abandoned run is no error for the caller.
        running.OutputCompleted = execution.Task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return running;
    }

    /// <summary>
    /// Sends SIGTERM to the process tree, waits up to <paramref name="grace"/> for it to go, then
    /// SIGKILLs what is left and waits a short bounded time.
    /// Cancelling <paramref name="cancellationToken"/> skips the rest of the grace period.
    /// </summary>
    /// <exception cref="TimeoutException">The process outlived SIGKILL (a stuck kernel state).</exception>
    public async Task<ProcessExit> StopAsync(TimeSpan grace, CancellationToken cancellationToken = default)
    {
        var deadline = _timeProvider.GetUtcNow() + grace;
        if (grace > TimeSpan.Zero && (!HasExited || !_tree.IsEmpty()))
        {
            Signal(NativeMethods.SigTerm);
        }
        if (!HasExited && grace > TimeSpan.Zero)
        {
            try
            {
                await _exited.Task.WaitAsync(grace, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
            }
        }

        // The leader is gone; let the rest of its tree finish within what remains of the grace.
        if (HasExited && !cancellationToken.IsCancellationRequested)
        {
            await _tree.WaitUntilGoneAsync(deadline, _timeProvider, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        Kill();
        ProcessExit exit;
        try
        {
            exit = await _exited.Task.WaitAsync(KillWait, _timeProvider, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"process {ProcessId} ({Command.TargetFilePath}) is still alive {KillWait.TotalSeconds:0.#} s after SIGKILL", ex);
        }
        await _tree.WaitUntilGoneAsync(_timeProvider.GetUtcNow() + KillWait, _timeProvider, NativeMethods.SigKill).ConfigureAwait(false);
        return exit;
    }

    /// <summary>SIGKILLs the process tree at once, without waiting.</summary>
    public void Kill() => Signal(NativeMethods.SigKill);

    /// <summary>Kills whatever is left of the tree (bounded) and stops reading the output.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        if (!HasExited || !_tree.IsEmpty())
        {
            Kill();
            try
            {
                await _exited.Task.WaitAsync(KillWait, _timeProvider, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
            await _tree.WaitUntilGoneAsync(_timeProvider.GetUtcNow() + KillWait, _timeProvider, NativeMethods.SigKill).ConfigureAwait(false);
        }
        _group?.Remove();
        await _abandon.CancelAsync().ConfigureAwait(false);
        _abandon.Dispose();
    }

    private void Signal(int signal)
    {
        // Right after the start, setsid may not have made the child a group leader yet, nor has it
        // exec'd with the marker in its environment.
        if (!_tree.Signal(signal) && !HasExited)
        {
            NativeMethods.SignalProcess(ProcessId, signal);
        }
    }

    /// <summary>CliWrap's hook, on the launching thread right after the fork and before CliWrap waits for the exit.</summary>
    private void OnStarted(Process process, bool leadsProcessGroup)
    {
        _process = process;
        ProcessId = process.Id;
        StartTime = _timeProvider.GetUtcNow();
        _tree = new ProcessTree(process.Id, leadsProcessGroup ? process.Id : 0, Marker);
        process.Exited += (_, _) => OnExited();
        if (process.HasExited)
        {
            OnExited();
        }
    }

    private void OnExited()
    {
        int exitCode;
        try
        {
            exitCode = _process!.ExitCode;
        }
        catch (InvalidOperationException)
        {
            exitCode = -1;
        }
        _exited.TrySetResult(DecodeExit(exitCode, _timeProvider.GetUtcNow()) with { LimitReached = _group?.LimitReached() });
    }

    /// <summary>
    /// .NET reports a child killed by signal N as exit code 128 + N (as shells do). A child that itself
    /// exits with such a code is indistinguishable and is reported as signalled too.
    /// </summary>
    internal static ProcessExit DecodeExit(int exitCode, DateTimeOffset time) =>
        exitCode is > 128 and <= 128 + 64 ? new(exitCode, exitCode - 128, time) : new(exitCode, null, time);

    /// <summary>
    /// CliWrap disposes its process object once the process has exited and both pipes are drained, which
    /// can come before <see cref="OnExited"/> has read the exit code; the targets stay open until it has.
    /// </summary>
    private PipeTarget OutputTarget(bool isStandardError, Action<ProcessOutputLine>? onOutput) =>
        PipeTarget.Create(async (stream, cancellationToken) =>
        {
            try
            {
                await OutputLineReader.ReadAsync(stream, isStandardError, onOutput, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await _exited.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        });
}
