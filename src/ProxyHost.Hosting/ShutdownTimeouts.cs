using ProxyHost.Proxy.Upgrades;
using ProxyHost.Supervision.Lifecycle;

namespace ProxyHost.Hosting;

/// <summary>
/// How long a stop of ProxyHost may take, in one place so the parts agree. On Ctrl+C or SIGTERM open
/// websockets are closed at once (1001, aborted after <see cref="UpgradedConnections.CloseTimeout"/>), and
/// every process tree is stopped while the web server drains the requests still running; whatever forces
/// an exit (the command line) waits for more than all of that, so process cleanup always finishes first.
/// </summary>
public static class ShutdownTimeouts
{
    /// <summary>The host's shutdown timeout: how long requests still running may take to finish.</summary>
    public static TimeSpan RequestDrain { get; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest stopping every process tree may take (grace period, SIGKILL, reaping).</summary>
    public static TimeSpan ProcessStop { get; } = new SupervisionOptions().ShutdownBound;

    /// <summary>
    /// How long after Ctrl+C or SIGTERM the command line waits before it forces an exit: the drain and
    /// the process stop even one after the other (they run side by side), plus room for the rest.
    /// </summary>
    public static TimeSpan ForcedExit { get; } = RequestDrain + ProcessStop + TimeSpan.FromSeconds(5);
}
