using System.Runtime.InteropServices;

namespace ProxyHost.Supervision.Processes;

internal static partial class NativeMethods
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    private const int Esrch = 3;

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

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
