using System.Runtime.InteropServices;

namespace ProxyHost.Supervision.Processes;

internal static partial class NativeMethods
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    private const int Esrch = 3;
    private const int PrSetChildSubreaper = 36;
    private const int WaitNoHang = 1;

    /// <summary>Sends a signal to every process in a group; false when the group no longer exists.</summary>
    public static bool SignalProcessGroup(int processGroupId, int signal)
    {
        if (processGroupId <= 1 || OperatingSystem.IsWindows())
        {
            return false;
        }
        return Kill(-processGroupId, signal) == 0 || Marshal.GetLastPInvokeError() != Esrch;
    }

    /// <summary>Sends a signal to one process; false when it no longer exists.</summary>
    public static bool SignalProcess(int processId, int signal) =>
        processId > 1 && !OperatingSystem.IsWindows() && (Kill(processId, signal) == 0 || Marshal.GetLastPInvokeError() != Esrch);

    /// <summary>True while at least one process of the group is alive (signal 0 probes without sending).</summary>
    public static bool ProcessGroupExists(int processGroupId) =>
        processGroupId > 1 && !OperatingSystem.IsWindows() && (Kill(-processGroupId, 0) == 0 || Marshal.GetLastPInvokeError() != Esrch);

    /// <summary>
    /// Makes this process the child subreaper (Linux): descendants whose parent dies re-parent to it
    /// instead of to init, so a double-forked daemon stays in ProxyHost's process tree.
    /// </summary>
    public static bool BecomeChildSubreaper() => OperatingSystem.IsLinux() && Prctl(PrSetChildSubreaper, 1, 0, 0, 0) == 0;

    /// <summary>Collects one exited child without blocking; true when it was reaped.</summary>
    public static bool TryReap(int processId) => processId > 1 && !OperatingSystem.IsWindows() && WaitPid(processId, out _, WaitNoHang) == processId;

    public static uint EffectiveUserId() => OperatingSystem.IsWindows() ? 0 : GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, out int status, int options);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}
