using Microsoft.Extensions.Logging;
using ProxyHost.Supervision.Endpoints;
using ProxyHost.Supervision.Processes;
using ProxyHost.Supervision.Readiness;

namespace ProxyHost.Supervision.Lifecycle;

/// <summary>What every instance of one supervisor shares.</summary>
/// <remarks>
/// <see cref="TimeProvider"/> is the clock of supervision policy: restart backoff, the crash-loop window and
/// break, and the times in snapshots. Waits on the real world (a probe's retries and deadline, a process
/// tree's exit) use the system clock, so a test can drive the policy on a fake clock while real processes run.
/// </remarks>
internal sealed record InstanceServices(
    SupervisionOptions Options,
    string BaseUrl,
    ProcessRunner Runner,
    PortAllocator PortAllocator,
    UnixSocketPathAllocator SocketAllocator,
    HttpReadinessProbe HttpProbe,
    ConnectReadinessProbe ConnectProbe,
    ServerStateNotifier Notifier,
    TimeProvider TimeProvider,
    RunJournal Journal,
    ILogger Logger);
