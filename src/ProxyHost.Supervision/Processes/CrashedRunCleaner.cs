using Microsoft.Extensions.Logging;
using ProxyHost.Security;

namespace ProxyHost.Supervision.Processes;

/// <summary>
/// At start, removes what ProxyHost runs that ended without shutting down (SIGKILL, a crash, a power
/// cut) left behind, from their <see cref="RunRecord"/>s: the parent-death signal killed each server
/// leader, but not the leader's children or daemons, nor its socket folder. A record whose ProxyHost
/// still lives (same PID and start time) is left alone; a file that is not exactly a record ProxyHost
/// writes is left alone with a warning. Only processes of this user are signalled: the recorded
/// group if its leader still has the recorded start time, and every process carrying the marker.
/// </summary>
internal sealed partial class CrashedRunCleaner(string directory, TimeProvider timeProvider, ILogger logger)
{
    private static readonly TimeSpan TermGrace = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

    public async Task CleanAsync()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        foreach (var path in Directory.EnumerateFiles(directory, "*.json"))
        {
            if (RunRecord.TryRead(path, out var problem) is not { } record)
            {
                Log.Ignored(logger, path, problem ?? "");
                continue;
            }
            if (ProcFileSystem.ReadStartTime(record.ProcessId) == record.StartTime)
            {
                continue;
            }
            var stopped = await Task.WhenAll(record.Servers.Select(StopAsync)).ConfigureAwait(false);
            var folders = record.Servers.Count(s => s.SocketDirectory is { } folder && DeleteFolder(folder));
            File.Delete(path);
            Log.Cleaned(logger, record.ProcessId, stopped.Count(s => s), folders);
        }
    }

    private async Task<bool> StopAsync(LaunchRecord launch)
    {
        var groupId = ProcFileSystem.ReadStartTime(launch.ProcessId) == launch.StartTime ? launch.ProcessId : 0;
        var tree = new ProcessTree(0, groupId, launch.Marker);
        if (!tree.Signal(NativeMethods.SigTerm))
        {
            return false;
        }
        if (!await tree.WaitUntilGoneAsync(timeProvider.GetUtcNow() + TermGrace, timeProvider).ConfigureAwait(false))
        {
            tree.Signal(NativeMethods.SigKill);
            await tree.WaitUntilGoneAsync(timeProvider.GetUtcNow() + KillWait, timeProvider, NativeMethods.SigKill).ConfigureAwait(false);
        }
        return true;
    }

    private static bool DeleteFolder(string folder)
    {
        if (!PrivateState.IsOwnPrivateFolder(folder))
        {
            return false;
        }
        try
        {
            Directory.Delete(folder, recursive: true);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = Lifecycle.SupervisionEventIds.CrashedRunCleaned, Level = LogLevel.Information, Message = "cleaned up after ProxyHost process {ProcessId}, which ended without shutting down: stopped {Trees} server process trees, removed {Folders} socket folders")]
        public static partial void Cleaned(ILogger logger, int processId, int trees, int folders);

        [LoggerMessage(EventId = Lifecycle.SupervisionEventIds.RunRecordIgnored, Level = LogLevel.Warning, Message = "ignoring {Path}: not a ProxyHost run record ({Problem})")]
        public static partial void Ignored(ILogger logger, string path, string problem);
    }
}
