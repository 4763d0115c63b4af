using Microsoft.Extensions.Logging;
using ProxyHost.Security;

namespace ProxyHost.Supervision.Processes;

/// <summary>
/// Keeps this process's <see cref="RunRecord"/> file current: an entry per launch from its start until
/// its tree is stopped, the file gone when nothing runs (so a clean shutdown leaves none). A SIGKILL
/// leaves ProxyHost no chance to clean up; the file is what the next start uses to do it
/// (<see cref="CrashedRunCleaner"/>). One file per supervisor (<c>&lt;pid&gt;-&lt;random&gt;.json</c>),
/// as a process may host several. Failing to write it never fails a launch; it is logged.
/// </summary>
internal sealed partial class RunJournal(string? directory, ILogger logger)
{
    private readonly Lock _lock = new();
    private readonly List<LaunchRecord> _launches = [];
    private readonly string _fileName = $"{Environment.ProcessId}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}.json";
    private string? _path;
    private bool _warned;

    /// <summary>The folder of run records (created private and checked): the configured one, else the private state's <c>runs</c>.</summary>
    public static string ResolveDirectory(string? directory) => directory is null ? PrivateState.Directory("runs") : PrivateState.Ensure(directory);

    /// <summary>Adds the launch; disposing the result removes it again.</summary>
    public IDisposable Record(string name, RunningProcess process, string? socketDirectory)
    {
        if (!OperatingSystem.IsLinux() || ProcFileSystem.ReadStartTime(process.ProcessId) is not { } startTime)
        {
            return NoEntry.Instance;
        }
        var launch = new LaunchRecord(name, process.ProcessId, startTime, process.Marker, socketDirectory);
        lock (_lock)
        {
            _launches.Add(launch);
            WriteLocked();
        }
        return new Entry(this, launch);
    }

    private void Remove(LaunchRecord launch)
    {
        lock (_lock)
        {
            _launches.Remove(launch);
            WriteLocked();
        }
    }

    private void WriteLocked()
    {
        try
        {
            _path ??= Path.Combine(ResolveDirectory(directory), _fileName);
            if (_launches.Count == 0)
            {
                File.Delete(_path);
                return;
            }
            var record = new RunRecord(RunRecord.CurrentFormat, Environment.ProcessId, ProcFileSystem.ReadStartTime(Environment.ProcessId) ?? 0, [.. _launches]);
            var temporary = _path + ".tmp";
            File.WriteAllBytes(temporary, record.ToJson());
            File.Move(temporary, _path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PrivateStateException)
        {
            if (!_warned)
            {
                _warned = true;
                Log.WriteFailed(logger, ex.Message);
            }
        }
    }

    private sealed class Entry(RunJournal journal, LaunchRecord launch) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                journal.Remove(launch);
            }
        }
    }

    private sealed class NoEntry : IDisposable
    {
        public static NoEntry Instance { get; } = new();

        public void Dispose()
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = Lifecycle.SupervisionEventIds.RunRecordFailed, Level = LogLevel.Warning, Message = "cannot record the running servers for cleanup after a crash: {Reason}")]
        public static partial void WriteFailed(ILogger logger, string reason);
    }
}
