using System.ComponentModel;
using System.Diagnostics;

namespace ProxyHost.Supervision.Processes;

/// <summary>
/// Starts <see cref="ProcessCommand"/>s; the only type that touches <see cref="Process"/>. Each child is
/// launched through <c>setsid</c> so it leads its own session and process group, and the whole tree
/// can be signalled at once (<c>kill(-pgid, sig)</c>), daemonizing descendants included. Children inherit
/// ProxyHost's environment without its secrets (<see cref="ChildEnvironment"/>).
/// </summary>
public sealed class ProcessRunner
{
    internal const string SetsidPath = "/usr/bin/setsid";

    private readonly TimeProvider _timeProvider;
    private readonly bool _useSetsid;

    public ProcessRunner(TimeProvider? timeProvider = null)
        : this(timeProvider ?? TimeProvider.System, !OperatingSystem.IsWindows() && File.Exists(SetsidPath))
    {
    }

    internal ProcessRunner(TimeProvider timeProvider, bool useSetsid)
    {
        _timeProvider = timeProvider;
        _useSetsid = useSetsid;
    }

    /// <summary>True when children lead their own process group (setsid was found).</summary>
    public bool UsesProcessGroups => _useSetsid;

    /// <summary>
    /// Starts the command. stdin is closed at once; stdout and stderr are delivered line by line to
    /// <paramref name="onOutput"/> (on a pool thread), with over-long lines split, so nothing is
    /// buffered without bound.
    /// </summary>
    /// <exception cref="ProcessLaunchException">The program was not found, is not executable, or could not be started.</exception>
    public RunningProcess Start(ProcessCommand command, Action<ProcessOutputLine>? onOutput = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        var program = ResolveProgram(command);
        var startInfo = new ProcessStartInfo
        {
            FileName = _useSetsid ? SetsidPath : program,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (command.WorkingDirectory is { } workingDirectory)
        {
            startInfo.WorkingDirectory = workingDirectory;
        }
        if (_useSetsid)
        {
            // The child of a non-group-leader: setsid() succeeds without forking, so the PID we get is
            // the session and process-group leader that then execs the program.
            startInfo.ArgumentList.Add("--");
            startInfo.ArgumentList.Add(program);
        }
        foreach (var argument in command.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in ChildEnvironment.Changes(command))
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        try
        {
            return RunningProcess.Start(process, command, _useSetsid, onOutput, _timeProvider);
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException)
        {
            process.Dispose();
            throw new ProcessLaunchException(
                command.TargetFilePath,
                $"could not start '{command.TargetFilePath}': {ex.Message}",
                ex);
        }
    }

    private static string ResolveProgram(ProcessCommand command)
    {
        var name = command.TargetFilePath;
        if (name.Contains('/'))
        {
            var fullPath = Path.GetFullPath(name, command.WorkingDirectory ?? Environment.CurrentDirectory);
            if (Directory.Exists(fullPath))
            {
                throw new ProcessLaunchException(name, $"could not start '{name}': it is a directory, not a program");
            }
            if (!File.Exists(fullPath))
            {
                throw new ProcessLaunchException(name, $"could not start '{name}': no such file ({fullPath}); check the path");
            }
            if (!IsExecutable(fullPath))
            {
                throw new ProcessLaunchException(name, $"could not start '{name}': the file is not executable; run 'chmod +x {fullPath}'");
            }
            return fullPath;
        }

        var path = command.Environment.TryGetValue("PATH", out var overridden) ? overridden : Environment.GetEnvironmentVariable("PATH");
        foreach (var directory in (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return candidate;
            }
        }
        throw new ProcessLaunchException(
            name,
            $"could not start '{name}': command not found on PATH; install it or give its absolute path");
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows()
        || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
