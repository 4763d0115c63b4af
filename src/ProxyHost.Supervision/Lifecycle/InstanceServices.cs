using Microsoft.Extensions.Logging;
using ProxyHost.Supervision.Endpoints;
using ProxyHost.Supervision.Processes;
using ProxyHost.Supervision.Readiness;

namespace ProxyHost.Supervision.Lifecycle;

/// <summary>What every instance of one supervisor shares.</summary>
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
