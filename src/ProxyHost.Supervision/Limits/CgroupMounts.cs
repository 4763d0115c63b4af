namespace ProxyHost.Supervision.Limits;

/// <summary>
/// Where this process sits in the cgroup hierarchies, read from <c>/proc/self/cgroup</c> and
/// <c>/proc/self/mountinfo</c>: for cgroup v2 its own group's directory, for cgroup v1 the directory of its
/// group in each controller's hierarchy.
/// </summary>
internal sealed record CgroupMounts(string? UnifiedGroup, IReadOnlyDictionary<string, string> V1Groups)
{
    public static CgroupMounts Read(string cgroupFile = "/proc/self/cgroup", string mountInfoFile = "/proc/self/mountinfo")
    {
        try
        {
            return Parse(File.ReadAllLines(cgroupFile), File.ReadAllLines(mountInfoFile));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new CgroupMounts(null, new Dictionary<string, string>());
        }
    }

    internal static CgroupMounts Parse(IEnumerable<string> cgroupLines, IEnumerable<string> mountInfoLines)
    {
        var mounts = mountInfoLines.Select(ParseMount).OfType<Mount>().ToList();
        string? unified = null;
        var v1 = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in cgroupLines)
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }
            if (parts[0] == "0" && parts[1].Length == 0)
            {
                unified = mounts.FirstOrDefault(m => m.Type == "cgroup2") is { } mount ? mount.Resolve(parts[2]) : null;
                continue;
            }
            foreach (var controller in parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (mounts.FirstOrDefault(m => m.Type == "cgroup" && m.Options.Contains(controller)) is { } mount)
                {
                    v1[controller] = mount.Resolve(parts[2]);
                }
            }
        }
        return new CgroupMounts(unified, v1);
    }

    // mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPEROPTIONS
    private static Mount? ParseMount(string line)
    {
        var fields = line.Split(' ');
        var separator = Array.IndexOf(fields, "-");
        if (fields.Length < 7 || separator < 6 || separator + 3 >= fields.Length)
        {
            return null;
        }
        return new Mount(Unescape(fields[3]), Unescape(fields[4]), fields[separator + 1], [.. fields[separator + 3].Split(',')]);
    }

    private static string Unescape(string field) => field.Replace("\\040", " ", StringComparison.Ordinal);

    private sealed record Mount(string Root, string MountPoint, string Type, HashSet<string> Options)
    {
        public string Resolve(string groupPath)
        {
            var relative = groupPath.StartsWith(Root, StringComparison.Ordinal) ? groupPath[Root.Length..] : groupPath;
            return Path.Join(MountPoint, relative.TrimStart('/'));
        }
    }
}
