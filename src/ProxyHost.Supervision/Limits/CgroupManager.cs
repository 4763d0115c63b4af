using System.Globalization;
using ProxyHost.Configuration;

namespace ProxyHost.Supervision.Limits;

/// <summary>
/// Creates a cgroup per launch under ProxyHost's own group, with the server's memory, cpu and processes
/// limits, where the machine lets it: cgroup v2 when its controllers are delegated to ProxyHost's group (a
/// systemd user service with <c>Delegate=yes</c>, a container), else the cgroup v1 hierarchies it may write to.
/// </summary>
internal sealed class CgroupManager
{
    internal const string Memory = "memory";
    internal const string Pids = "pids";
    internal const string Cpu = "cpu";
    private const long CpuPeriodMicroseconds = 100_000;

    private readonly IReadOnlyDictionary<string, string> _parents;

    private CgroupManager(bool unified, IReadOnlyDictionary<string, string> parents)
    {
        IsUnified = unified;
        _parents = parents;
    }

    public static CgroupManager None { get; } = new(false, new Dictionary<string, string>());

    public bool IsUnified { get; }

    /// <summary>The controllers ProxyHost can use here, of memory, pids and cpu.</summary>
    public IReadOnlyCollection<string> Controllers => (IReadOnlyCollection<string>)_parents.Keys;

    public static CgroupManager Detect(CgroupMounts mounts)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        if (mounts.UnifiedGroup is { } group && DelegatedV2(group) is { Count: > 0 } delegated)
        {
            return new CgroupManager(true, delegated.ToDictionary(c => c, _ => group));
        }
        var parents = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var controller in new[] { Memory, Pids, Cpu })
        {
            if (mounts.V1Groups.TryGetValue(controller, out var directory) && CanCreateGroupsIn(directory))
            {
                RemoveGroupsOfEndedRuns(directory);
                parents[controller] = Path.Join(directory, string.Create(CultureInfo.InvariantCulture, $"proxyhost-{Environment.ProcessId}"));
            }
        }
        return new CgroupManager(false, parents);
    }

    /// <summary>A group for one launch with the limits it can hold; null when none of <paramref name="limits"/> needs one.</summary>
    public ServerCgroup? Create(string name, ServerLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var settings = new List<(string Controller, string File, string Value)>();
        if (limits.MemoryBytes is { } memory && _parents.ContainsKey(Memory))
        {
            settings.Add((Memory, IsUnified ? "memory.max" : "memory.limit_in_bytes", memory.ToString(CultureInfo.InvariantCulture)));
        }
        if (limits.Processes is { } processes && _parents.ContainsKey(Pids))
        {
            settings.Add((Pids, "pids.max", processes.ToString(CultureInfo.InvariantCulture)));
        }
        if (limits.Cpus is { } cpus && _parents.ContainsKey(Cpu))
        {
            var quota = ((long)Math.Ceiling(cpus * CpuPeriodMicroseconds)).ToString(CultureInfo.InvariantCulture);
            settings.AddRange(IsUnified
                ? [(Cpu, "cpu.max", $"{quota} {CpuPeriodMicroseconds}")]
                : [(Cpu, "cpu.cfs_period_us", CpuPeriodMicroseconds.ToString(CultureInfo.InvariantCulture)), (Cpu, "cpu.cfs_quota_us", quota)]);
        }
        if (settings.Count == 0)
        {
            return null;
        }

        var directories = settings.Select(s => s.Controller).Distinct().ToDictionary(c => c, c => Path.Join(_parents[c], IsUnified ? "proxyhost-" + name : name));
        foreach (var directory in directories.Values.Distinct())
        {
            Directory.CreateDirectory(directory);
        }
        foreach (var (controller, file, value) in settings)
        {
            File.WriteAllText(Path.Join(directories[controller], file), value);
        }
        return new ServerCgroup(
            [.. directories.Values.Distinct()],
            directories.GetValueOrDefault(Memory, ""),
            directories.GetValueOrDefault(Pids),
            IsUnified,
            limits);
    }

    /// <summary>Removes ProxyHost's own v1 parent groups once its servers' groups are gone.</summary>
    public void RemoveParents()
    {
        if (IsUnified)
        {
            return;
        }
        foreach (var parent in _parents.Values)
        {
            try
            {
                Directory.Delete(parent);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    // A ProxyHost that was killed leaves its (by now empty) groups behind; the kernel refuses to remove one that still holds a process.
    private static void RemoveGroupsOfEndedRuns(string directory)
    {
        foreach (var parent in Directory.EnumerateDirectories(directory, "proxyhost-*"))
        {
            if (int.TryParse(Path.GetFileName(parent)["proxyhost-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
            {
                try
                {
                    foreach (var group in Directory.EnumerateDirectories(parent))
                    {
                        Directory.Delete(group);
                    }
                    Directory.Delete(parent);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                }
            }
        }
    }

    private static bool CanCreateGroupsIn(string directory)
    {
        var probe = Path.Join(directory, string.Create(CultureInfo.InvariantCulture, $"proxyhost-probe-{Environment.ProcessId}"));
        try
        {
            Directory.CreateDirectory(probe);
            Directory.Delete(probe);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // A v2 group may enable controllers for its children only while it holds no process itself, so
    // ProxyHost first moves itself into a leaf of its own group ("no internal processes" rule).
    private static List<string> DelegatedV2(string group)
    {
        try
        {
            var available = File.ReadAllText(Path.Join(group, "cgroup.controllers")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var wanted = new[] { Memory, Pids, Cpu }.Where(available.Contains).ToList();
            if (wanted.Count == 0)
            {
                return wanted;
            }
            var enabled = File.ReadAllText(Path.Join(group, "cgroup.subtree_control")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var missing = wanted.Where(c => !enabled.Contains(c)).ToList();
            if (missing.Count > 0)
            {
                var self = Path.Join(group, "proxyhost");
                Directory.CreateDirectory(self);
                File.WriteAllText(Path.Join(self, "cgroup.procs"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
                File.WriteAllText(Path.Join(group, "cgroup.subtree_control"), string.Join(' ', missing.Select(c => "+" + c)));
            }
            return wanted;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
