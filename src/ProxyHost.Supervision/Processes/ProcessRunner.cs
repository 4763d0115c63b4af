using System.ComponentModel;
using CliWrap;
using ProxyHost.Supervision.Limits;

namespace ProxyHost.Supervision.Processes;

/// <summary>
/// Starts <see cref="ProcessCommand"/>s through CliWrap. Each child is launched through <c>setsid</c> so
/// it leads its own session and process group, and the whole tree can be signalled at once
/// (<c>kill(-pgid, sig)</c>); every launch carries a fresh <see cref="ProcessTree.MarkerVariable"/> in its
/// environment, so that daemons which leave the group are still found. On Linux the child is also started
/// through <c>setpriv --pdeathsig KILL</c> (util-linux, like setsid): .NET cannot run code between fork
/// and exec, and the parent-death signal kills the server if ProxyHost itself is killed (it is not
/// inherited by the server's own children; the run records clean those up at the next start).
/// Children inherit ProxyHost's environment without its secrets (<see cref="ChildEnvironment"/>).
/// </summary>
internal sealed class ProcessRunner
{
    internal const string SetsidPath = "/usr/bin/setsid";
    internal const string SetprivPath = "/usr/bin/setpriv";

    private readonly TimeProvider _timeProvider;
    private readonly bool _useSetsid;
    private readonly bool _useParentDeathSignal;

    public ProcessRunner(TimeProvider? timeProvider = null)
        : this(timeProvider ?? TimeProvider.System, !OperatingSystem.IsWindows() && File.Exists(SetsidPath), OperatingSystem.IsLinux() && File.Exists(SetprivPath))
    {
    }

    internal ProcessRunner(TimeProvider timeProvider, bool useSetsid, bool useParentDeathSignal = false, LimitEnforcement? limits = null)
    {
        _timeProvider = timeProvider;
        _useSetsid = useSetsid;
        _useParentDeathSignal = useParentDeathSignal;
        Limits = limits ?? LimitEnforcement.ForThisMachine;
    }

    /// <summary>How the servers' limits are applied at launch.</summary>
    public LimitEnforcement Limits { get; }

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
        var marker = ProcessTree.NewMarker();
        var program = ResolveProgram(command);
        var group = Limits.CreateGroup(marker, command.Limits);
        var cli = Launcher(program, command, group)
            .WithEnvironmentVariables(ChildEnvironment.Variables(command, marker))
            .WithValidation(CommandResultValidation.None);
        if (command.WorkingDirectory is { } workingDirectory)
        {
            cli = cli.WithWorkingDirectory(workingDirectory);
        }
        try
        {
            return LauncherThread.Invoke(() => RunningProcess.Start(cli, command, _useSetsid, marker, group, onOutput, _timeProvider));
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException)
        {
            group?.Remove();
            // CliWrap wraps the runtime's error (which names the cause, e.g. a missing working directory) in a generic one.
            var cause = ex is Win32Exception { InnerException: Win32Exception inner } ? inner : ex;
            throw new ProcessLaunchException(
                command.TargetFilePath,
                $"could not start '{command.TargetFilePath}': {cause.Message}",
                ex);
        }
    }

    private Command Launcher(string program, ProcessCommand command, ServerCgroup? group)
    {
        List<string> argv = [];
        if (_useParentDeathSignal)
        {
            argv.AddRange([SetprivPath, "--pdeathsig", "KILL", "--"]);
        }
        if (_useSetsid)
        {
            // The child of a non-group-leader: setsid() succeeds without forking, so the PID we get is
            // the session and process-group leader that then execs the program.
            argv.AddRange([SetsidPath, "--"]);
        }
        // The shell joins the cgroup and prlimit sets the limits on itself, each then execs the next, so the
        // launched PID becomes the server and every descendant is inside its limits.
        argv.AddRange(Limits.LauncherPrefix(command.Limits, group));
        argv.Add(program);
        argv.AddRange(command.Arguments);
        return Cli.Wrap(argv[0]).WithArguments(argv.Skip(1));
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
