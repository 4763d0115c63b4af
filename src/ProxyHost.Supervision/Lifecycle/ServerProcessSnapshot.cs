using ProxyHost.Supervision.Endpoints;

namespace ProxyHost.Supervision.Lifecycle;

/// <summary>How a process ended.</summary>
/// <param name="ExitCode">The exit code; for a signal, 128 + the signal number as the shell reports it.</param>
/// <param name="Signal">The signal that ended it, when it was one.</param>
/// <param name="Time">When it exited.</param>
public sealed record ProcessExit(int ExitCode, int? Signal, DateTimeOffset Time)
{
    /// <summary>The limit that ended it, in words ("out of memory at its 2 GiB limit"), when one did.</summary>
    public string? LimitReached { get; init; }
}

/// <summary>An immutable view of one supervised server at one moment; a new one is published on every change.</summary>
public sealed record ServerProcessSnapshot
{
    public required string Name { get; init; }

    public ServerProcessState State { get; init; } = ServerProcessState.NotStarted;

    /// <summary>Increases with every published change of this server.</summary>
    public long Version { get; init; }

    /// <summary>False for servers that run elsewhere and are only proxied.</summary>
    public bool IsManaged { get; init; }

    public int? ProcessId { get; init; }

    /// <summary>Where the backend listens; known once a start has chosen a port or socket.</summary>
    public ServerEndpoint? Endpoint { get; init; }

    /// <summary>When the current (or last) process was started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the current process became ready.</summary>
    public DateTimeOffset? ReadyAt { get; init; }

    /// <summary>How many times the process was started after the first time.</summary>
    public int Restarts { get; init; }

    public ProcessExit? LastExit { get; init; }

    /// <summary>A sentence saying why the last start failed, for error pages and the API.</summary>
    public string? LastError { get; init; }

    /// <summary>While in backoff or with the crash-loop circuit open: when a start will next be tried.</summary>
    public DateTimeOffset? RetryAt { get; init; }
}
