using System.Globalization;
using System.Net;
using ProxyHost.Supervision.Endpoints;

namespace ProxyHost.Supervision.Readiness;

/// <summary>Who holds the sockets listening on an endpoint, as far as the platform tells.</summary>
internal enum ListenerOwner
{
    /// <summary>Every listener is held by the started process, its descendants, or its process group or session.</summary>
    StartedProcess,

    /// <summary>A listener is held by some other process.</summary>
    Other,

    /// <summary>Not known: not Linux, /proc unreadable, no listener found, or a member of the tree hidden from us.</summary>
    Unknown,
}

/// <summary>
/// Finds, through Linux's /proc, whether the sockets listening on a server's endpoint belong to the
/// process ProxyHost started. Listeners come from /proc/net/tcp and tcp6 (state 0A, the local port, an
/// address that takes connections to 127.0.0.1) or /proc/net/unix (the socket path); owners from the
/// <c>socket:[inode]</c> links in /proc/&lt;pid&gt;/fd. It reads a few files per process, so callers
/// ask only once a probe has succeeded.
/// </summary>
internal static class ListenerOwnership
{
    private const string TcpListenState = "0A";
    private const int UnixAcceptingFlag = 0x10000;

    public static ListenerOwner Find(ServerEndpoint endpoint, int processId)
    {
        if (!OperatingSystem.IsLinux())
        {
            return ListenerOwner.Unknown;
        }
        HashSet<long> listeners;
        try
        {
            listeners = endpoint.UnixSocketPath is { } path ? UnixListeners(path) : TcpListeners(endpoint.Port);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // /proc/net hidden or absent (a sandbox, another kernel): the process being alive is all we can check.
            return ListenerOwner.Unknown;
        }
        if (listeners.Count == 0)
        {
            // Connected, yet no listener in this network namespace's table: nothing to compare against.
            return ListenerOwner.Unknown;
        }
        // Most servers hold their listener themselves: only when the started process does not is /proc walked for
        // the rest of its tree, a cost that grows with every process on a shared machine.
        var complete = RemoveHeldSockets(processId, listeners);
        if (listeners.Count == 0)
        {
            return ListenerOwner.StartedProcess;
        }
        foreach (var pid in ProcessTree(processId).Skip(1))
        {
            complete &= RemoveHeldSockets(pid, listeners);
            if (listeners.Count == 0)
            {
                return ListenerOwner.StartedProcess;
            }
        }
        // A member whose descriptors we may not read (another user's, under hidepid) could hold the rest.
        return complete ? ListenerOwner.Other : ListenerOwner.Unknown;
    }

    private static HashSet<long> TcpListeners(int port)
    {
        var inodes = new HashSet<long>();
        foreach (var table in (string[])["/proc/net/tcp", "/proc/net/tcp6"])
        {
            if (!File.Exists(table))
            {
                continue;
            }
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[3] == TcpListenState
                    && fields[1].LastIndexOf(':') is var colon and > 0
                    && int.Parse(fields[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port
                    && TakesLoopbackConnections(ParseAddress(fields[1].AsSpan(0, colon))))
                {
                    inodes.Add(long.Parse(fields[9], CultureInfo.InvariantCulture));
                }
            }
        }
        return inodes;
    }

    /// <summary>The kernel prints each 32-bit word of the address as a native-endian hex number.</summary>
    private static IPAddress ParseAddress(ReadOnlySpan<char> hex)
    {
        var bytes = new byte[hex.Length / 2];
        for (var word = 0; word < bytes.Length / 4; word++)
        {
            var value = uint.Parse(hex.Slice(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            BitConverter.TryWriteBytes(bytes.AsSpan(word * 4, 4), value);
        }
        return new IPAddress(bytes);
    }

    /// <summary>ProxyHost connects to 127.0.0.1: a listener there, on 0.0.0.0 or on a dual-stack :: takes it.</summary>
    private static bool TakesLoopbackConnections(IPAddress address)
    {
        var v4 = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return v4.Equals(IPAddress.Loopback) || v4.Equals(IPAddress.Any) || v4.Equals(IPAddress.IPv6Any);
    }

    private static HashSet<long> UnixListeners(string path)
    {
        var fullPath = Path.GetFullPath(path);
        var inodes = new HashSet<long>();
        foreach (var line in File.ReadLines("/proc/net/unix").Skip(1))
        {
            // Num RefCount Protocol Flags Type St Inode Path
            var fields = line.Split(' ', 8, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 8
                && (int.Parse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture) & UnixAcceptingFlag) != 0
                && (fields[7] == path || fields[7] == fullPath))
            {
                inodes.Add(long.Parse(fields[6], CultureInfo.InvariantCulture));
            }
        }
        return inodes;
    }

    /// <summary>
    /// The started process (first), every process in its process group or session (children that outlived a
    /// parent and were re-parented stay there), and all their descendants.
    /// </summary>
    private static List<int> ProcessTree(int root)
    {
        var rootId = root.ToString(CultureInfo.InvariantCulture);
        var parents = new Dictionary<int, int>();
        var tree = new List<int> { root };
        var members = new HashSet<int> { root };
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                // pid (comm) state ppid pgrp session ...; comm may hold spaces and parentheses.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                parents[pid] = parent;
                if ((fields[2] == rootId || fields[3] == rootId) && members.Add(pid))
                {
                    tree.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }
        for (var i = 0; i < tree.Count; i++)
        {
            foreach (var (child, parent) in parents)
            {
                if (parent == tree[i] && members.Add(child))
                {
                    tree.Add(child);
                }
            }
        }
        return tree;
    }

    /// <summary>Removes the sockets <paramref name="pid"/> holds from <paramref name="listeners"/>; false when its descriptors are hidden from us.</summary>
    private static bool RemoveHeldSockets(int pid, HashSet<long> listeners)
    {
        try
        {
            foreach (var descriptor in Directory.EnumerateFileSystemEntries($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/fd"))
            {
                if (SocketInode(descriptor) is { } inode)
                {
                    listeners.Remove(inode);
                }
            }
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        catch (IOException)
        {
            // The process ended while we looked; it holds nothing any more.
            return true;
        }
    }

    private static long? SocketInode(string descriptor)
    {
        try
        {
            return new FileInfo(descriptor).LinkTarget is { } target
                && target.StartsWith("socket:[", StringComparison.Ordinal)
                && long.TryParse(target.AsSpan(8, target.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out var inode)
                ? inode : null;
        }
        catch (IOException)
        {
            // Closed while we looked.
            return null;
        }
    }
}
