using System.Globalization;

namespace ProxyHost.Tests;

/// <summary>Looks at processes through /proc, so tests can check that nothing is left behind.</summary>
public static class ProcessChecks
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is not ("Z" or "X");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Every living process below <paramref name="pid"/> (children, their children, ...), from the parent links in /proc.</summary>
    public static IReadOnlyList<int> Descendants(int pid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var child) && ParentOf(child) is { } parent)
            {
                parents[child] = parent;
            }
        }
        var tree = new List<int>();
        var below = new Queue<int>([pid]);
        while (below.TryDequeue(out var current))
        {
            foreach (var child in parents.Where(p => p.Value == current).Select(p => p.Key))
            {
                tree.Add(child);
                below.Enqueue(child);
            }
        }
        return tree;
    }

    /// <summary>Waits until the process is gone; returns false if it still lives after <paramref name="timeout"/> (default 30 s).</summary>
    public static async Task<bool> WaitForExitAsync(int pid, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TestTimeouts.Default);
        while (IsAlive(pid))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(PollInterval);
        }
        return true;
    }

    /// <summary>Waits until the process is gone from the process table (exited and reaped, not a zombie); false after <paramref name="timeout"/>.</summary>
    public static async Task<bool> WaitUntilReapedAsync(int pid, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TestTimeouts.Default);
        while (Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}"))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(PollInterval);
        }
        return true;
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Reads the whitespace-separated PIDs a dummy wrote, waiting (bounded) for the file to be complete.</summary>
    public static async Task<int[]> ReadPidFileAsync(string path, int expectedCount)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (true)
        {
            if (File.Exists(path))
            {
                var pids = (await File.ReadAllTextAsync(path)).Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
                if (pids.Length >= expectedCount)
                {
                    return [.. pids.Select(p => int.Parse(p, CultureInfo.InvariantCulture))];
                }
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"pid file {path} did not get {expectedCount} pids");
            }
            await Task.Delay(PollInterval);
        }
    }
}
