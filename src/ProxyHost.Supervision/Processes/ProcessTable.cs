namespace ProxyHost.Supervision.Processes;

/// <summary>
/// Live processes (not ProxyHost itself, not init) at one moment, read from /proc once, so that many trees
/// can find their members in one scan.
/// </summary>
internal sealed class ProcessTable
{
    private ProcessTable(IReadOnlyDictionary<int, ProcessStatus> live) => Live = live;

    public IReadOnlyDictionary<int, ProcessStatus> Live { get; }

    /// <param name="ownOnly">
    /// Only this user's processes: required before signalling. Counting what a tree uses needs no owner check
    /// (another user's process cannot join our process groups, and its environment is unreadable), which
    /// saves reading every process's status file.
    /// </param>
    public static ProcessTable Scan(bool ownOnly = true)
    {
        var live = new Dictionary<int, ProcessStatus>();
        if (!OperatingSystem.IsLinux())
        {
            return new ProcessTable(live);
        }
        var self = Environment.ProcessId;
        var user = NativeMethods.EffectiveUserId();
        foreach (var pid in ProcFileSystem.ProcessIds())
        {
            // Another user's processes are never ours to signal, whatever their environment says.
            if (pid > 1 && pid != self && (!ownOnly || ProcFileSystem.ReadOwner(pid) == user) && ProcFileSystem.ReadStatus(pid) is { HasExited: false } status)
            {
                live[pid] = status;
            }
        }
        return new ProcessTable(live);
    }
}
