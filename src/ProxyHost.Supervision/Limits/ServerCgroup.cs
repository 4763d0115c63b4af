using System.Globalization;
using ProxyHost.Configuration;

namespace ProxyHost.Supervision.Limits;

/// <summary>
/// The cgroup (one directory on cgroup v2, one per controller on v1) that holds one launch's whole process
/// tree: the launch writes its own PID into <see cref="ProcsFiles"/> before it execs the server, so every
/// descendant is counted. Removed once the tree is gone.
/// </summary>
internal sealed class ServerCgroup(IReadOnlyList<string> directories, string memoryDirectory, string? pidsDirectory, bool unified, ServerLimits limits)
{
    public IReadOnlyList<string> ProcsFiles { get; } = [.. directories.Select(d => Path.Join(d, "cgroup.procs"))];

    /// <summary>Which limit ended the run, in words ("out of memory at its 2 GiB limit"); null when none did.</summary>
    public string? LimitReached()
    {
        if (limits.MemoryBytes is { } memory && Counter(Path.Join(memoryDirectory, unified ? "memory.events" : "memory.oom_control"), "oom_kill") > 0)
        {
            return $"out of memory at its {ByteSize.Describe(memory)} limit";
        }
        if (limits.Processes is { } processes && pidsDirectory is not null && Counter(Path.Join(pidsDirectory, "pids.events"), "max") is > 0 and var refused)
        {
            return string.Create(CultureInfo.InvariantCulture, $"refused {refused} new process(es) at its limit of {processes} processes");
        }
        return null;
    }

    /// <summary>Removes the group's directories; a group that still holds a process stays (the kernel refuses).</summary>
    public void Remove()
    {
        foreach (var directory in directories)
        {
            try
            {
                Directory.Delete(directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    // memory.events / pids.events / memory.oom_control: "name value" lines.
    private static long Counter(string file, string name)
    {
        try
        {
            foreach (var line in File.ReadLines(file))
            {
                var parts = line.Split(' ', 2);
                if (parts.Length == 2 && parts[0] == name && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    return value;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        return 0;
    }
}
