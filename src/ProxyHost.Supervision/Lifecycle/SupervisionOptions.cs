namespace ProxyHost.Supervision.Lifecycle;

/// <summary>How servers are stopped, restarted and protected from crash loops.</summary>
public sealed class SupervisionOptions
{
    /// <summary>Time between SIGTERM and SIGKILL when a process tree is stopped.</summary>
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A run that exits on its own sooner than this after it started counts as a failure.</summary>
    public TimeSpan MinimumUptime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>This many failed runs in a row within <see cref="CrashLoopSamplingDuration"/> open the crash-loop circuit.</summary>
    public int CrashLoopFailureThreshold { get; set; } = 3;

    public TimeSpan CrashLoopSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long starts are refused once the crash-loop circuit opened.</summary>
    public TimeSpan CrashLoopBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often each running server's process tree is sampled for memory, CPU, processes and open files; zero turns sampling off.</summary>
    public TimeSpan ResourceSampleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Delay before the start that follows one quick failure; doubles per further failure.</summary>
    public TimeSpan RestartBackoffInitialDelay { get; set; } = TimeSpan.FromSeconds(0.5);

    public TimeSpan RestartBackoffMaximumDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Makes this process the child subreaper (Linux, <c>PR_SET_CHILD_SUBREAPER</c>) when the supervisor
    /// is created, so that daemons of its servers re-parent to it rather than to init. It is process-wide
    /// (orphans of any child of the process re-parent to it), so it is for a process that is ProxyHost
    /// (<c>proxyhost serve</c> turns it on), not for an application that embeds it.
    /// </summary>
    public bool BecomeChildSubreaper { get; set; }

    /// <summary>Where run records go (for cleanup after a crash); null for the private state's <c>runs</c> folder.</summary>
    public string? RunRecordsDirectory { get; set; }

    /// <summary>Output lines kept per server.</summary>
    public int LogCapacity { get; set; } = 1000;

    /// <summary>Output lines attached to a start failure.</summary>
    public int OutputTailLines { get; set; } = 20;

    /// <summary>First delay between readiness probes; doubles up to <see cref="ReadinessMaximumDelay"/>.</summary>
    internal TimeSpan ReadinessInitialDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    // A start is noticed at most this late (every cold start waits half of it on average, on the user's first
    // click); a refused probe costs well under 100 µs, so even a minute-long start polls for under a second of CPU.
    internal TimeSpan ReadinessMaximumDelay { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Bound on every stop of all servers at host shutdown, on top of the grace period.</summary>
    internal TimeSpan ShutdownKillAllowance { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest stopping every process tree may take at host shutdown: the grace period, then SIGKILL and its reaping.</summary>
    public TimeSpan ShutdownBound => StopGracePeriod + ShutdownKillAllowance;
}
