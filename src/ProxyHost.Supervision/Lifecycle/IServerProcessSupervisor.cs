using ProxyHost.Supervision.Logs;

namespace ProxyHost.Supervision.Lifecycle;

/// <summary>
/// Owns one supervised instance per server definition in the catalog: starts processes on demand,
/// probes them, restarts them, and stops every process tree when the host stops.
/// </summary>
public interface IServerProcessSupervisor
{
    /// <summary>
    /// Returns the server's endpoint once it is ready, starting it if needed. Concurrent callers share
    /// one start. Unmanaged servers return at once.
    /// </summary>
    /// <exception cref="ServerUnavailableException">The server is unknown, failed to start, or is crash-looping.</exception>
    ValueTask<ActiveServer> EnsureRunningAsync(string name, CancellationToken cancellationToken);

    /// <summary>The current snapshot of one server, or null for an unknown name.</summary>
    ServerProcessSnapshot? GetSnapshot(string name);

    /// <summary>Current snapshots of every server, in catalog order.</summary>
    IReadOnlyList<ServerProcessSnapshot> GetSnapshots();

    /// <summary>The current snapshot of every server, then each change as it is published.</summary>
    IAsyncEnumerable<ServerProcessSnapshot> WatchAsync(CancellationToken cancellationToken);

    /// <summary>The bounded output buffer of a server, or null for an unknown name.</summary>
    ServerLogBuffer? GetLog(string name);

    /// <summary>Stops the server's process tree (graceful, then forced); it starts again on the next request.</summary>
    Task StopAsync(string name, CancellationToken cancellationToken);

    /// <summary>Stops the server and starts it again, returning when it is ready.</summary>
    ValueTask<ActiveServer> RestartAsync(string name, CancellationToken cancellationToken);
}
