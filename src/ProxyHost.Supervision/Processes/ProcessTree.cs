using System.Security.Cryptography;
using System.Text;

namespace ProxyHost.Supervision.Processes;

/// <summary>
/// Everything one launch left running: the leader's process group, every process of this user whose
/// environment carries the launch's marker (<see cref="MarkerVariable"/>), and all their descendants.
/// The marker is what finds real daemons: one that calls <c>setsid</c> and forks twice leaves the
/// group and, once its middle parent exits, the leader's descendants too, but it keeps the
/// environment it inherited (the approach of Jenkins' ProcessTreeKiller). Only a process that both
/// leaves the group and scrubs its environment escapes. The scan needs Linux's /proc; elsewhere the
/// tree is the process group.
/// </summary>
internal sealed class ProcessTree
{
    /// <summary>Set in every launched server's environment to a fresh random value.</summary>
    public const string MarkerVariable = "PROXYHOST_SERVER_INSTANCE";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly int _leaderId;
    private readonly int _groupId;
    private readonly byte[]? _markerEntry;
    private readonly HashSet<ProcessIdentity> _seen = [];

    /// <param name="leaderId">The launched process (never reaped here: .NET waits for it), or 0.</param>
    /// <param name="groupId">The process group the launch leads, or 0 when it does not lead one.</param>
    /// <param name="marker">The launch's marker value, or null for group and descendants only.</param>
    public ProcessTree(int leaderId, int groupId, string? marker)
    {
        _leaderId = leaderId;
        _groupId = groupId;
        _markerEntry = marker is null ? null : Encoding.UTF8.GetBytes(MarkerVariable + "=" + marker);
    }

    /// <summary>A new random marker value for one launch.</summary>
    public static string NewMarker() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>True when no member is alive (zombies do not count).</summary>
    public bool IsEmpty() => OperatingSystem.IsLinux() ? FindMembers().Count == 0 : !NativeMethods.ProcessGroupExists(_groupId);

    /// <summary>
    /// Sends <paramref name="signal"/> to the group and to every member outside it (each checked
    /// against its start time just before, so a reused PID is spared); false when nothing was signalled.
    /// </summary>
    public bool Signal(int signal)
    {
        var signalled = NativeMethods.SignalProcessGroup(_groupId, signal);
        foreach (var (member, status) in FindMembers())
        {
            if ((!signalled || status.GroupId != _groupId)
                && ProcFileSystem.ReadStartTime(member.ProcessId) == member.StartTime
                && NativeMethods.SignalProcess(member.ProcessId, signal))
            {
                signalled = true;
            }
        }
        return signalled;
    }

    /// <summary>
    /// Polls until no member is alive or <paramref name="deadline"/> passes, reaping members that
    /// were adopted; with <paramref name="resend"/> the signal goes again each round, for processes
    /// forked after the last one.
    /// </summary>
    public async Task<bool> WaitUntilGoneAsync(DateTimeOffset deadline, TimeProvider timeProvider, int resend = 0, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            ReapAdopted();
            if (IsEmpty())
            {
                ReapAdopted();
                return true;
            }
            if (timeProvider.GetUtcNow() >= deadline || cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            if (resend != 0)
            {
                Signal(resend);
            }
            await Task.Delay(PollInterval, timeProvider, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A daemon re-parented to ProxyHost (the child subreaper) becomes its zombie when it dies, and
    /// .NET only waits for children it started. So members seen alive (never the leader) that are now
    /// zombie children of this process with the same start time are collected here; waiting on any
    /// other child would steal .NET's exit status (and make it fail fast).
    /// </summary>
    private void ReapAdopted()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var self = Environment.ProcessId;
        lock (_seen)
        {
            _seen.RemoveWhere(member => ProcFileSystem.ReadStatus(member.ProcessId) is not { } status
                || status.StartTime != member.StartTime
                || status.State == 'Z' && status.ParentId == self && NativeMethods.TryReap(member.ProcessId));
        }
    }

    /// <summary>The process group the launch leads, or 0.</summary>
    public int GroupId => _groupId;

    /// <summary>
    /// The tree's processes in <paramref name="table"/>. A process in one of <paramref name="otherGroups"/> belongs
    /// to that group's tree, so only the others' environments are read for the marker.
    /// </summary>
    public IReadOnlyList<int> MembersIn(ProcessTable table, IReadOnlySet<int> otherGroups) =>
        [.. FindMembers(table, otherGroups).Select(m => m.Member.ProcessId)];

    private List<(ProcessIdentity Member, ProcessStatus Status)> FindMembers() =>
        OperatingSystem.IsLinux() ? FindMembers(ProcessTable.Scan(), new HashSet<int>()) : [];

    private List<(ProcessIdentity Member, ProcessStatus Status)> FindMembers(ProcessTable table, IReadOnlySet<int> otherGroups)
    {
        var live = table.Live;
        var members = new HashSet<int>();
        foreach (var (pid, status) in live)
        {
            if (_groupId > 1 && status.GroupId == _groupId
                || _markerEntry is not null && !otherGroups.Contains(status.GroupId) && ProcFileSystem.HasEnvironmentEntry(pid, _markerEntry))
            {
                members.Add(pid);
            }
        }
        var children = live.ToLookup(p => p.Value.ParentId, p => p.Key);
        var pending = new Queue<int>(members);
        while (pending.TryDequeue(out var parent))
        {
            foreach (var child in children[parent])
            {
                if (members.Add(child))
                {
                    pending.Enqueue(child);
                }
            }
        }

        var found = members.Select(pid => (Member: new ProcessIdentity(pid, live[pid].StartTime), Status: live[pid])).ToList();
        lock (_seen)
        {
            _seen.UnionWith(found.Select(f => f.Member).Where(m => m.ProcessId != _leaderId));
        }
        return found;
    }
}
