using ProxyHost.Apps.Hosting;
using ProxyHost.Apps.Messaging;

namespace ProxyHost.Apps.Monitoring;

/// <summary>
/// The bundled monitor app's service (Narvi's <c>MonitorApp</c>): forwards every admin snapshot to its
/// sessions as JSON text and gives each new session the latest one (<c>null</c> before the first tick).
/// </summary>
public sealed class MonitorApp
{
    public const string Workspace = "system_workspace";
    public const string ServiceName = "monitor_service";
    public const string AppName = "monitor_app";
    public const string ServiceId = "monitor";

    private string _latest = "null";

    public MonitorApp(IWebAppServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.SetAdminListener(admin =>
        {
            _latest = admin.ToJsonString();
            services.Send(_latest);
        });
        services.AddSessionOpenListener((_, sessionId, _, _) => services.Send(_latest, forSessionId: sessionId));
    }

    /// <summary>Registers the service (fixed id <c>monitor</c>) and its page at <c>{base}/system_workspace/monitor_app/index.html</c>.</summary>
    public static RegisteredApp Register(AppServiceRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var service = registry.RegisterService(Workspace, ServiceName, typeof(MonitorApp).FullName!, fixedServiceId: ServiceId);
        var assembly = typeof(MonitorApp).Assembly;
        return registry.RegisterApp(AppName, service, resourceRoots:
        [
            ResourceRoot.Embedded("index.html", assembly, "monitor/index.html"),
            ResourceRoot.Embedded("monitor_app.js", assembly, "monitor/monitor_app.js"),
        ]);
    }
}
