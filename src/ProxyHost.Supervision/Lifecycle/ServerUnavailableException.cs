using ProxyHost.Supervision.Logs;

namespace ProxyHost.Supervision.Lifecycle;

/// <summary>Why a server could not be made ready for a request.</summary>
public enum ServerUnavailableReason
{
    /// <summary>No server by that name (removed from the config, or never defined).</summary>
    Unknown,

    /// <summary>The process could not be launched (command not found, not executable, ...).</summary>
    LaunchFailed,

    /// <summary>The process exited before it answered.</summary>
    ExitedWhileStarting,

    /// <summary>The process did not answer within its timeout and was stopped.</summary>
    TimedOut,

    /// <summary>The server failed repeatedly; starts are suspended until <see cref="ServerUnavailableException.RetryAt"/>.</summary>
    CrashLoop,

    /// <summary>The template or environment could not be rendered.</summary>
    InvalidDefinition,

    /// <summary>The server was stopped (API, config change, shutdown) while the request waited for it.</summary>
    Stopped,

    /// <summary>
    /// Another process already listened on the server's fixed port, or answered on its port or socket
    /// while it started; ProxyHost does not take a squatter for the server.
    /// </summary>
    EndpointInUse,
}

/// <summary>Thrown by <see cref="IServerProcessSupervisor.EnsureRunningAsync"/>; carries what an error page shows.</summary>
public sealed class ServerUnavailableException : Exception
{
    public ServerUnavailableException(string serverName, ServerUnavailableReason reason, string message, Exception? inner = null)
        : base(message, inner)
    {
        ServerName = serverName;
        Reason = reason;
    }

    public string ServerName { get; }

    public ServerUnavailableReason Reason { get; }

    public ProcessExit? Exit { get; init; }

    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>The last output lines of the process, oldest first.</summary>
    public IReadOnlyList<LogLine> OutputTail { get; init; } = [];
}
