using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyHost.Apps.Hosting;
using ProxyHost.Configuration;
using ProxyHost.Hosting;
using ProxyHost.Hosting.Apps;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Narvi-style app services inside ProxyHost, under <c>&lt;base_url&gt;narvi/</c>.</summary>
public static class AppServicesServiceCollectionExtensions
{
    /// <summary>Registers services, apps and redirects in code (after the config file's <c>apps</c> section) when the host starts.</summary>
    public static IProxyHostBuilder AddAppServices(this IProxyHostBuilder builder, Action<AppServiceRegistry> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddSingleton(new AppServicesConfigurator(configure));
        return builder;
    }

    /// <summary>The registry (mounted at <c>&lt;base_url&gt;narvi</c>) and the loader that fills it from config at start-up.</summary>
    internal static IServiceCollection AddProxyHostApps(this IServiceCollection services)
    {
        services.TryAddSingleton(sp =>
        {
            var baseUrl = sp.GetRequiredService<IOptions<ProxyHostOptions>>().Value.BaseUrl;
            return new AppServiceRegistry(new NarviOptions
            {
                BasePath = baseUrl + AppsConfigLoader.MountName,
                RedirectRoot = baseUrl + AppsConfigLoader.MountName + "/",
                LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
            });
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AppsConfigLoader>());
        return services;
    }

    /// <summary>Maps <c>&lt;base_url&gt;narvi/**</c>; ProxyHost's fallback policy authenticates it like every endpoint.</summary>
    internal static void MapProxyHostApps(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapAppServices(endpoints.ServiceProvider.GetRequiredService<AppServiceRegistry>());
}
