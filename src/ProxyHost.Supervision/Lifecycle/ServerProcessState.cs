namespace ProxyHost.Supervision.Lifecycle;

/// <summary>Where a supervised server is in its life. Observed by routes, APIs and pages.</summary>
public enum ServerProcessState
{
    /// <summary>Nothing started yet; the first request starts it.</summary>
    NotStarted,

    /// <summary>The process is launched and being probed for readiness.</summary>
    Starting,

    /// <summary>Ready and serving.</summary>
    Running,

    /// <summary>Being stopped (signal sent, grace period running).</summary>
    Stopping,

    /// <summary>Stopped on purpose (API, config change, idle); the next request starts it again.</summary>
    Stopped,

    /// <summary>Exited on its own after it was running; the next request restarts it.</summary>
    Exited,

    /// <summary>Failed quickly more than once; the next start waits for the backoff delay.</summary>
    Backoff,

    /// <summary>Could not start (crashed, timed out) or crash-looped; see the snapshot's error and retry time.</summary>
    Failed,
}
