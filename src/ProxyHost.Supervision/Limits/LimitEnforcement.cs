using System.Globalization;
using ProxyHost.Configuration;

namespace ProxyHost.Supervision.Limits;

/// <summary>
/// How this machine enforces a server's <see cref="ServerLimits"/>: per-process resource limits
/// (<c>setrlimit</c>, applied by util-linux's <c>prlimit</c> between <c>setsid</c> and the server's program,
/// since .NET cannot run code between fork and exec), and which limits nothing here enforces. Found once.
/// </summary>
internal sealed class LimitEnforcement
{
    internal const string PrlimitPath = "/usr/bin/prlimit";

    private readonly bool _hasPrlimit;
    private readonly bool _isRoot;

    internal LimitEnforcement(bool hasPrlimit, bool isRoot)
    {
        _hasPrlimit = hasPrlimit;
        _isRoot = isRoot;
    }

    public static LimitEnforcement ForThisMachine { get; } =
        new(OperatingSystem.IsLinux() && File.Exists(PrlimitPath), Environment.IsPrivilegedProcess);

    /// <summary>One line for the log: the mechanism, and what it cannot do here.</summary>
    public string Describe() => _hasPrlimit
        ? "server limits are enforced with per-process resource limits (prlimit): open_files as RLIMIT_NOFILE" +
          (_isRoot ? "; processes cannot bind here (ProxyHost runs as root)" : ", processes as RLIMIT_NPROC (counted per user)") +
          "; memory and cpu need a delegated cgroup v2, which ProxyHost does not manage yet"
        : "server limits cannot be enforced here: prlimit (util-linux) was not found and ProxyHost does not manage cgroups yet";

    /// <summary>The limits of <paramref name="limits"/> that nothing enforces here, each with the reason, as "limits.KEY (value): reason".</summary>
    public IEnumerable<string> Unenforceable(ServerLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        const string NoCgroup = "needs a delegated cgroup v2 controller, which ProxyHost does not manage yet";
        var noPrlimit = "prlimit (util-linux) was not found";
        if (limits.MemoryBytes is { } memory)
        {
            yield return $"limits.{ServerKeys.Limit.Memory} ({ByteSize.Describe(memory)}): {NoCgroup}";
        }
        if (limits.Cpus is { } cpus)
        {
            yield return $"limits.{ServerKeys.Limit.Cpu} ({cpus.ToString(CultureInfo.InvariantCulture)} cores): {NoCgroup}";
        }
        if (limits.Processes is { } processes && (!_hasPrlimit || _isRoot))
        {
            yield return $"limits.{ServerKeys.Limit.Processes} ({processes}): " +
                (_hasPrlimit ? "the per-user process limit (RLIMIT_NPROC) does not bind root, and a pids cgroup is not managed yet" : noPrlimit);
        }
        if (limits.OpenFiles is { } openFiles && !_hasPrlimit)
        {
            yield return $"limits.{ServerKeys.Limit.OpenFiles} ({openFiles}): {noPrlimit}";
        }
    }

    /// <summary>The words that run a program under the enforceable per-process limits, ending in "--"; none when there are none.</summary>
    public IReadOnlyList<string> LauncherPrefix(ServerLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (!_hasPrlimit)
        {
            return [];
        }
        var options = new List<string>(4);
        if (limits.OpenFiles is { } openFiles)
        {
            options.Add(string.Create(CultureInfo.InvariantCulture, $"--nofile={openFiles}:{openFiles}"));
        }
        if (limits.Processes is { } processes && !_isRoot)
        {
            options.Add(string.Create(CultureInfo.InvariantCulture, $"--nproc={processes}:{processes}"));
        }
        return options.Count == 0 ? [] : [PrlimitPath, .. options, "--"];
    }
}
