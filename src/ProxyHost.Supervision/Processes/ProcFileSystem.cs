using System.Globalization;

namespace ProxyHost.Supervision.Processes;

/// <summary>One process, named by its PID and its start time, so that a reused PID is never taken for it.</summary>
/// <param name="StartTime">Clock ticks after boot (/proc/&lt;pid&gt;/stat field 22).</param>
internal readonly record struct ProcessIdentity(int ProcessId, long StartTime);

/// <summary>What /proc/&lt;pid&gt;/stat says about a process.</summary>
internal readonly record struct ProcessStatus(char State, int ParentId, int GroupId, long StartTime)
{
    /// <summary>A zombie or a dead process: nothing left to signal.</summary>
    public bool HasExited => State is 'Z' or 'X';
}

/// <summary>Reads processes through Linux's /proc; every reader answers null or false for a process that is gone.</summary>
internal static class ProcFileSystem
{
    public static IEnumerable<int> ProcessIds()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory.AsSpan()), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                yield return pid;
            }
        }
    }

    public static ProcessStatus? ReadStatus(int pid)
    {
        var stat = ReadText($"/proc/{pid}/stat");
        // The command name (field 2) is in parentheses and may itself contain spaces and parentheses.
        var close = stat?.LastIndexOf(')') ?? -1;
        if (stat is null || close < 0 || close + 2 >= stat.Length)
        {
            return null;
        }
        var fields = stat[(close + 2)..].Split(' ');
        return fields.Length > 19
            && int.TryParse(fields[1], CultureInfo.InvariantCulture, out var parent)
            && int.TryParse(fields[2], CultureInfo.InvariantCulture, out var group)
            && long.TryParse(fields[19], CultureInfo.InvariantCulture, out var startTime)
            ? new ProcessStatus(fields[0][0], parent, group, startTime)
            : null;
    }

    /// <summary>The process's start time, or null when it is gone (or a zombie).</summary>
    public static long? ReadStartTime(int pid) => ReadStatus(pid) is { HasExited: false } status ? status.StartTime : null;

    /// <summary>The real user id of the process.</summary>
    public static uint? ReadOwner(int pid)
    {
        foreach (var line in (ReadText($"/proc/{pid}/status") ?? "").Split('\n'))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                var value = line[4..].TrimStart().Split('\t', ' ')[0];
                return uint.TryParse(value, CultureInfo.InvariantCulture, out var uid) ? uid : null;
            }
        }
        return null;
    }

    /// <summary>True when the process's environment holds exactly <paramref name="entry"/> (<c>NAME=value</c>).</summary>
    public static bool HasEnvironmentEntry(int pid, ReadOnlySpan<byte> entry)
    {
        byte[] environment;
        try
        {
            environment = File.ReadAllBytes($"/proc/{pid}/environ");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        foreach (var range in environment.AsSpan().Split((byte)0))
        {
            if (environment.AsSpan(range).SequenceEqual(entry))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A /proc file's text, or null when the process is gone or the file unreadable.</summary>
    public static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
