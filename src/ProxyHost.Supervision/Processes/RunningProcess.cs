using System.Diagnostics;
using System.Text;
using ProxyHost.Supervision.Lifecycle;

namespace ProxyHost.Supervision.Processes;

/// <summary>
/// A started child process. Stopping is graceful first (SIGTERM to its whole <see cref="ProcessTree"/>:
/// the process group, daemons that carry the launch's marker, their descendants), forceful second
/// (SIGKILL to the same tree and a process-tree kill), and every wait is bounded: a grandchild that
/// holds the output pipes cannot make a stop hang. Stop, restart and shutdown all end here.
/// </summary>
public sealed class RunningProcess : IAsyncDisposable
{
    /// <summary>Lines longer than this are delivered in pieces.</summary>
    internal const int MaxLineLength = 8192;

    private readonly Process _process;
    private readonly TimeProvider _timeProvider;
    private readonly TaskCompletionSource<ProcessExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _pumpsCancellation = new();
    private int _disposed;

    private ProcessTree _tree = new(0, 0, null);

    private RunningProcess(Process process, ProcessCommand command, string marker, TimeProvider timeProvider)
    {
        _process = process;
        Command = command;
        Marker = marker;
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

    /// <summary>
    /// Completes when both output pipes reached end of file. A grandchild that inherited the pipes can
    /// hold this open after <see cref="Exited"/>; wait on it only with a bound.
    /// </summary>
    public Task OutputCompleted { get; private set; } = Task.CompletedTask;

    /// <summary>How long <see cref="StopAsync"/> waits after SIGKILL before giving up.</summary>
    internal static TimeSpan KillWait { get; set; } = TimeSpan.FromSeconds(5);

    internal static RunningProcess Start(Process process, ProcessCommand command, bool leadsProcessGroup, string marker, Action<ProcessOutputLine>? onOutput, TimeProvider timeProvider)
    {
        var running = new RunningProcess(process, command, marker, timeProvider);
        process.Exited += (_, _) => running.OnExited();
        process.Start();
        running.ProcessId = process.Id;
        running._tree = new ProcessTree(process.Id, leadsProcessGroup ? process.Id : 0, marker);
        running.StartTime = timeProvider.GetUtcNow();
        process.StandardInput.Close();
        running.OutputCompleted = Task.WhenAll(
            PumpAsync(process.StandardOutput, false, onOutput, running._pumpsCancellation.Token),
            PumpAsync(process.StandardError, true, onOutput, running._pumpsCancellation.Token));
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
    public void Kill()
    {
        Signal(NativeMethods.SigKill);
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
        }
    }

    /// <summary>Kills whatever is left of the tree (bounded) and releases the handles.</summary>
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
        _pumpsCancellation.Cancel();
        _pumpsCancellation.Dispose();
        _process.Dispose();
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

    private void OnExited()
    {
        int exitCode;
        try
        {
            exitCode = _process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            exitCode = -1;
        }
        _exited.TrySetResult(DecodeExit(exitCode, _timeProvider.GetUtcNow()));
    }

    /// <summary>
    /// .NET reports a child killed by signal N as exit code 128 + N (as shells do). A child that itself
    /// exits with such a code is indistinguishable and is reported as signalled too.
    /// </summary>
    internal static ProcessExit DecodeExit(int exitCode, DateTimeOffset time) =>
        exitCode is > 128 and <= 128 + 64 ? new(exitCode, exitCode - 128, time) : new(exitCode, null, time);

    private static async Task PumpAsync(StreamReader reader, bool isStandardError, Action<ProcessOutputLine>? onOutput, CancellationToken cancellationToken)
    {
        var buffer = new char[4096];
        var line = new StringBuilder();
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }
                for (var i = 0; i < read; i++)
                {
                    var c = buffer[i];
                    if (c == '\n')
                    {
                        Emit(line, isStandardError, onOutput);
                    }
                    else
                    {
                        if (line.Length >= MaxLineLength)
                        {
                            Emit(line, isStandardError, onOutput);
                        }
                        line.Append(c);
                    }
                }
            }
            if (line.Length > 0)
            {
                Emit(line, isStandardError, onOutput);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            reader.Dispose();
        }
    }

    private static void Emit(StringBuilder line, bool isStandardError, Action<ProcessOutputLine>? onOutput)
    {
        if (line.Length > 0 && line[^1] == '\r')
        {
            line.Length--;
        }
        var text = line.ToString();
        line.Clear();
        onOutput?.Invoke(new ProcessOutputLine(isStandardError, text));
    }
}
