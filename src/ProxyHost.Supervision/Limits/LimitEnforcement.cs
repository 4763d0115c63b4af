using System.Globalization;
using ProxyHost.Configuration;

namespace ProxyHost.Supervision.Limits;

/// <summary>
/// How this machine enforces a server's <see cref="ServerLimits"/>, strongest first: a cgroup per launch for
/// memory, cpu and processes (<see cref="CgroupManager"/>), and per-process resource limits (<c>setrlimit</c>,
/// applied by util-linux's <c>prlimit</c>, since .NET cannot run code between fork and exec) for open files,
/// and for processes where no pids cgroup is available. Also which limits nothing here enforces.
/// </summary>
internal sealed class LimitEnforcement
{
    internal const string PrlimitPath = "/usr/bin/prlimit";
    internal const string ShellPath = "/bin/sh";

    // Runs as the launched process itself: joins the groups, then becomes the server (or prlimit) with exec.
    private const string JoinGroups = "for f; do [ \"$f\" = -- ] && break; echo $$ > \"$f\" || exit 125; shift; done; shift; exec \"$@\"";

    private readonly bool _hasPrlimit;
    private readonly bool _isRoot;
    private readonly Lazy<CgroupManager> _cgroups;

    internal LimitEnforcement(bool hasPrlimit, bool isRoot, Func<CgroupManager> cgroups)
    {
        _hasPrlimit = hasPrlimit;
        _isRoot = isRoot;
        _cgroups = new Lazy<CgroupManager>(cgroups);
    }

    public static LimitEnforcement ForThisMachine { get; } = Detect();

    /// <summary>
    /// Finds the mechanisms on first use, which is the first launch of a server that declares limits
    /// (a v2 setup moves ProxyHost into a leaf group, and groups of killed runs are removed).
    /// </summary>
    public static LimitEnforcement Detect() => new(
        OperatingSystem.IsLinux() && File.Exists(PrlimitPath),
        Environment.IsPrivilegedProcess,
        () => OperatingSystem.IsLinux() && File.Exists(ShellPath) ? CgroupManager.Detect(CgroupMounts.Read()) : CgroupManager.None);

    private CgroupManager Cgroups => _cgroups.Value;

    /// <summary>One line for the log: the mechanisms, and what they cannot do here.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Cgroups.Controllers.Count > 0)
        {
            parts.Add($"a cgroup {(Cgroups.IsUnified ? "v2" : "v1")} group per server for {string.Join(", ", Cgroups.Controllers.Select(KeyOf))}");
        }
        if (_hasPrlimit)
        {
            parts.Add("per-process resource limits (prlimit) for open_files" + (!Cgroups.Controllers.Contains(CgroupManager.Pids) && !_isRoot ? " and processes" : ""));
        }
        var cannot = new[] { ServerKeys.Limit.Memory, ServerKeys.Limit.Cpu, ServerKeys.Limit.Processes, ServerKeys.Limit.OpenFiles }.Where(k => !CanEnforce(k)).ToList();
        var mechanism = parts.Count == 0 ? "server limits cannot be enforced here" : "server limits are enforced with " + string.Join(", and ", parts);
        return cannot.Count == 0 ? mechanism : $"{mechanism}; not enforceable here: {string.Join(", ", cannot)}";
    }

    /// <summary>The limits of <paramref name="limits"/> that nothing enforces here, each as "limits.KEY (value): reason".</summary>
    public IEnumerable<string> Unenforceable(ServerLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        const string NoCgroup = "needs a cgroup that ProxyHost may manage (a delegated cgroup v2 or a writable cgroup v1 controller), and there is none here";
        if (limits.MemoryBytes is { } memory && !CanEnforce(ServerKeys.Limit.Memory))
        {
            yield return $"limits.{ServerKeys.Limit.Memory} ({ByteSize.Describe(memory)}): {NoCgroup}";
        }
        if (limits.Cpus is { } cpus && !CanEnforce(ServerKeys.Limit.Cpu))
        {
            yield return $"limits.{ServerKeys.Limit.Cpu} ({cpus.ToString(CultureInfo.InvariantCulture)} cores): {NoCgroup}";
        }
        if (limits.Processes is { } processes && !CanEnforce(ServerKeys.Limit.Processes))
        {
            yield return $"limits.{ServerKeys.Limit.Processes} ({processes}): " + (_hasPrlimit
                ? "no pids cgroup is available, and the per-user process limit (RLIMIT_NPROC) does not bind root"
                : "no pids cgroup is available, and prlimit (util-linux) was not found");
        }
        if (limits.OpenFiles is { } openFiles && !CanEnforce(ServerKeys.Limit.OpenFiles))
        {
            yield return $"limits.{ServerKeys.Limit.OpenFiles} ({openFiles}): prlimit (util-linux) was not found";
        }
    }

    /// <summary>A cgroup for one launch, when its limits need one and the machine has the controllers.</summary>
    public ServerCgroup? CreateGroup(string launch, ServerLimits limits) => limits.IsEmpty ? null : Cgroups.Create(launch, limits);

    /// <summary>The words that put a program into <paramref name="group"/> and under its per-process limits, before the program itself.</summary>
    public IReadOnlyList<string> LauncherPrefix(ServerLimits limits, ServerCgroup? group)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var prefix = new List<string>();
        if (group is not null)
        {
            prefix.AddRange([ShellPath, "-c", JoinGroups, "proxyhost-join-cgroup", .. group.ProcsFiles, "--"]);
        }
        var options = new List<string>(2);
        if (_hasPrlimit && limits.OpenFiles is { } openFiles)
        {
            options.Add(string.Create(CultureInfo.InvariantCulture, $"--nofile={openFiles}:{openFiles}"));
        }
        if (_hasPrlimit && limits.Processes is { } processes && group is null && !_isRoot)
        {
            options.Add(string.Create(CultureInfo.InvariantCulture, $"--nproc={processes}:{processes}"));
        }
        if (options.Count > 0)
        {
            prefix.AddRange([PrlimitPath, .. options, "--"]);
        }
        return prefix;
    }

    /// <summary>Removes ProxyHost's own parent groups when it stops.</summary>
    public void RemoveParentGroups()
    {
        if (_cgroups.IsValueCreated)
        {
            Cgroups.RemoveParents();
        }
    }

    private bool CanEnforce(string key) => key switch
    {
        ServerKeys.Limit.Memory => Cgroups.Controllers.Contains(CgroupManager.Memory),
        ServerKeys.Limit.Cpu => Cgroups.Controllers.Contains(CgroupManager.Cpu),
        ServerKeys.Limit.Processes => Cgroups.Controllers.Contains(CgroupManager.Pids) || _hasPrlimit && !_isRoot,
        _ => _hasPrlimit,
    };

    private static string KeyOf(string controller) => controller switch
    {
        CgroupManager.Pids => ServerKeys.Limit.Processes,
        _ => controller,
    };
}
