using Microsoft.Extensions.DependencyInjection.Extensions;
using ProxyHost.Proxy.Activation;
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
        services.TryAddSingleton<HostAllowlistSource>();
        services.TryAddSingleton<ArbitraryPortProxy>();
        return services;
    }
}
