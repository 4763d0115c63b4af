using Microsoft.Extensions.Logging;
using ProxyHost.Apps.Hosting;
using ProxyHost.Apps.RequestServices;

namespace ProxyHost.Apps.Sessions;

/// <summary>What an instance needs from the registry that owns it.</summary>
internal interface IInstanceHost
{
    TimeProvider Time { get; }

    ILogger Logger { get; }

    RequestServiceTable RequestServices { get; }

    /// <summary>The app of that name in the workspace, if it is bound to <paramref name="service"/>.</summary>
    RegisteredApp? FindAppOf(RegisteredService service, string appName);

    bool SendToApp(ServiceInstance from, string workspace, string appName, string serviceId, object? data);

    /// <summary>Forgets the instance, so that the next connect to its service id makes a new one.</summary>
    void Detach(ServiceInstance instance);
}
