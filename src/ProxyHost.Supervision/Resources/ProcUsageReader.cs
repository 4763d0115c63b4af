using System.Globalization;
using ProxyHost.Supervision.Processes;

namespace ProxyHost.Supervision.Resources;

/// <summary>Adds up what a set of processes use, from Linux's /proc; a process that is gone counts for nothing.</summary>
internal static class ProcUsageReader
{
    // /proc reports CPU times in USER_HZ, which Linux fixes at 100 for every architecture's user-space ABI.
    private const double TicksPerSecond = 100;

    /// <param name="readPss">Whether to read PSS (costly); when false it is null.</param>
    public static (long Rss, long? Pss, double CpuSeconds, int Processes, int Threads, int? OpenFiles) Read(IReadOnlyCollection<int> processIds, bool readPss = true)
    {
        long rss = 0, pss = 0, ticks = 0;
        int processes = 0, threads = 0, files = 0;
        var pssKnown = readPss;
        var filesKnown = true;
        foreach (var pid in processIds)
        {
            if (ReadStat(pid) is not { } stat)
            {
                continue;
            }
            processes++;
            ticks += stat.Ticks;
            threads += stat.Threads;
            rss += stat.RssPages * Environment.SystemPageSize;
            if (pssKnown && ReadPssKilobytes(pid) is { } kilobytes)
            {
                pss += kilobytes * 1024;
            }
            else
            {
                pssKnown = false;
            }
            if (CountOpenFiles(pid) is { } count)
            {
                files += count;
            }
            else
            {
                filesKnown = false;
            }
        }
        return (rss, pssKnown && processes > 0 ? pss : null, ticks / TicksPerSecond, processes, threads, filesKnown ? files : null);
    }

    // /proc/PID/stat after the command name: state (3), ... utime (14), stime (15), ... num_threads (20), ... rss (24).
    private static (long Ticks, int Threads, long RssPages)? ReadStat(int pid)
    {
        var text = ProcFileSystem.ReadText($"/proc/{pid}/stat");
        var close = text?.LastIndexOf(')') ?? -1;
        if (text is null || close < 0 || close + 2 >= text.Length)
        {
            return null;
        }
        var fields = text[(close + 2)..].Split(' ');
        return fields.Length > 21
            && fields[0] is not ("Z" or "X")
            && long.TryParse(fields[11], CultureInfo.InvariantCulture, out var user)
            && long.TryParse(fields[12], CultureInfo.InvariantCulture, out var system)
            && int.TryParse(fields[17], CultureInfo.InvariantCulture, out var threads)
            && long.TryParse(fields[21], CultureInfo.InvariantCulture, out var rss)
            ? (user + system, threads, rss)
            : null;
    }

    private static long? ReadPssKilobytes(int pid)
    {
        if (ProcFileSystem.ReadText($"/proc/{pid}/smaps_rollup") is not { } rollup)
        {
            return null;
        }
        foreach (var line in rollup.Split('\n'))
        {
            if (line.StartsWith("Pss:", StringComparison.Ordinal)
                && long.TryParse(line.AsSpan(4).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture, out var kilobytes))
            {
                return kilobytes;
            }
        }
        return null;
    }

    private static int? CountOpenFiles(int pid)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
