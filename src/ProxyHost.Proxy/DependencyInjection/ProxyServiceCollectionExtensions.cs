using Microsoft.Extensions.DependencyInjection.Extensions;
using ProxyHost.Proxy.Activation;
using ProxyHost.Proxy.Activity;
using ProxyHost.Proxy.RawSockets;
using ProxyHost.Proxy.ArbitraryPorts;
using ProxyHost.Proxy.Routing;
using ProxyHost.Proxy.Transforms;
using ProxyHost.Proxy.Transports;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers YARP fed from the server-process catalog.</summary>
public static class ProxyServiceCollectionExtensions
{
    /// <summary>
    /// Adds YARP with routes generated from <see cref="ProxyHost.Catalog.IServerProcessCatalog"/>, the
    /// lazy-activation step and the endpoint-aware transports. Expects the catalog, the supervisor and
    /// <see cref="ProxyHost.Configuration.ProxyHostOptions"/> to be registered.
    /// </summary>
    public static IServiceCollection AddServerProcessProxy(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddReverseProxy();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProxyConfigProvider, ServerProcessProxyConfigProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigChangeListener, ProxyConfigChangeLogger>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITransformProvider, ServerTransformProvider>());
        services.Replace(ServiceDescriptor.Singleton<IForwarderHttpClientFactory, EndpointAwareHttpClientFactory>());
        services.TryAddSingleton<ServerActivationStep>();
        services.TryAddSingleton<RawSocketBridge>();
        services.TryAddSingleton<ProxyHost.Proxy.Upgrades.UpgradedConnections>();
        services.TryAddSingleton<ProxyHost.Proxy.Pages.StartingPage>();
        services.TryAddSingleton<HostAllowlistSource>();
        services.TryAddSingleton<ArbitraryPortProxy>();
        services.AddServerActivityTracking();
        services.AddServerProcessMetrics();
        return services;
    }

    /// <summary>The activity tracker (also as <see cref="IServerActivitySink"/>) and the idle culler.</summary>
    public static IServiceCollection AddServerActivityTracking(this IServiceCollection services, Action<ActivityOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ActivityOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ServerActivityTracker>();
        services.TryAddSingleton<IServerActivitySink>(sp => sp.GetRequiredService<ServerActivityTracker>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, IdleCuller>());
        return services;
    }

    /// <summary>ProxyHost's meter (<see cref="ProxyHost.Proxy.Metrics.ProxyHostMetrics"/>), the proxy timing step and the process-event recorder.</summary>
    public static IServiceCollection AddServerProcessMetrics(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();
        services.TryAddSingleton<ProxyHost.Proxy.Metrics.ProxyHostMetrics>();
        services.TryAddSingleton<ProxyHost.Proxy.Metrics.ProxyTelemetryStep>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, ProxyHost.Proxy.Metrics.ProcessMetricsRecorder>());
        return services;
    }
}
