using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using ProxyHost.Supervision.Endpoints;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Supervision.Processes;
using ProxyHost.Supervision.Readiness;
using ProxyHost.Supervision.Resources;

namespace Microsoft.Extensions.DependencyInjection;

public static class SupervisionServiceCollectionExtensions
{
    /// <summary>
    /// Registers the process supervisor (as <see cref="IServerProcessSupervisor"/> and as a hosted
    /// service, one instance), its probes and allocators. The caller registers
    /// <c>IServerProcessCatalog</c> and <c>IOptions&lt;ProxyHostOptions&gt;</c>.
    /// </summary>
    public static IServiceCollection AddServerProcessSupervision(this IServiceCollection services, Action<SupervisionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<SupervisionOptions>();
        services.AddLogging();
        if (configure is not null)
        {
            services.Configure(configure);
        }
        services.TryAddSingleton(TimeProvider.System);
        // A process takes real seconds to exit, whatever clock paces supervision (a test's fake clock included).
        services.TryAddSingleton(_ => new ProcessRunner(TimeProvider.System));
        services.TryAddSingleton<PortAllocator>();
        services.TryAddSingleton<UnixSocketPathAllocator>();
        services.TryAddSingleton<HttpReadinessProbe>();
        services.TryAddSingleton<ConnectReadinessProbe>();
        services.TryAddSingleton<ServerProcessSupervisor>();
        services.TryAddSingleton<IServerProcessSupervisor>(sp => sp.GetRequiredService<ServerProcessSupervisor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ServerProcessSupervisor>(sp => sp.GetRequiredService<ServerProcessSupervisor>()));
        services.TryAddSingleton<ServerResourceSampler>();
        services.TryAddSingleton<IServerResourceMonitor>(sp => sp.GetRequiredService<ServerResourceSampler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ServerResourceSampler>(sp => sp.GetRequiredService<ServerResourceSampler>()));
        return services;
    }
}
