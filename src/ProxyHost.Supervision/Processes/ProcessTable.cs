namespace ProxyHost.Supervision.Processes;

/// <summary>
/// This user's live processes (not ProxyHost itself, not init) at one moment, read from /proc once, so that
/// many trees can find their members in one scan.
/// </summary>
internal sealed class ProcessTable
{
    private ProcessTable(IReadOnlyDictionary<int, ProcessStatus> live) => Live = live;

    public IReadOnlyDictionary<int, ProcessStatus> Live { get; }

    public static ProcessTable Scan()
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
            if (pid > 1 && pid != self && ProcFileSystem.ReadOwner(pid) == user && ProcFileSystem.ReadStatus(pid) is { HasExited: false } status)
            {
                live[pid] = status;
            }
        }
        return new ProcessTable(live);
    }
}
