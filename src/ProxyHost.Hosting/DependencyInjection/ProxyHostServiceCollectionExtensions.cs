using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ProxyHost.Catalog;
using ProxyHost.Configuration;
using ProxyHost.Hosting;
using ProxyHost.Hosting.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers ProxyHost: catalog, supervision, YARP proxying and the token auth that guards all of it.</summary>
public static class ProxyHostServiceCollectionExtensions
{
    public static IProxyHostBuilder AddProxyHost(this IServiceCollection services, Action<ProxyHostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsBuilder = services.AddOptions<ProxyHostOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProxyHostOptions>, ProxyHostOptionsValidator>());
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        var sources = new ServerDefinitionSources();
        services.TryAddSingleton(sources);
        services.TryAddSingleton(sp => new InMemoryServerProcessCatalog(sp.GetRequiredService<ServerDefinitionSources>().CodeDefined));
        services.TryAddSingleton<IServerProcessCatalog>(sp => sp.GetRequiredService<InMemoryServerProcessCatalog>());
        services.AddServerProcessSupervision();
        services.AddServerProcessProxy();
        services.TryAddSingleton<ProxyHost.Hosting.Metrics.PrometheusExporter>();
        services.TryAddSingleton<ProxyHost.Hosting.Metrics.ServerResourceMetrics>();
        services.AddProxyHostApps();
        services.AddProxyHostRelays();
        services.TryAddSingleton<ProxyHost.Hosting.Messaging.TypedMessagingSites>();

        // The token check is TokenAuthorizationMiddleware; authorization stays for policies an embedding app adds.
        services.AddAuthorization();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ProxyHost.Hosting.Security.TokenAuthorizationResultHandler>();
        WithoutDataProtectionWarmUp(services);
        return new ProxyHostBuilder(services);
    }

    /// <summary>Adds ProxyHost with <paramref name="options"/> as its <see cref="ProxyHostOptions"/>, validated when the host starts.</summary>
    public static IProxyHostBuilder AddProxyHost(this IServiceCollection services, ProxyHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton<IOptionsFactory<ProxyHostOptions>>(sp => new GivenOptionsFactory<ProxyHostOptions>(
            options,
            sp.GetServices<IConfigureOptions<ProxyHostOptions>>(),
            sp.GetServices<IPostConfigureOptions<ProxyHostOptions>>(),
            sp.GetServices<IValidateOptions<ProxyHostOptions>>()));
        return services.AddProxyHost();
    }

    /// <summary>
    /// YARP and authentication add data protection (for cookies ProxyHost never protects); its hosted service
    /// would load, or create, a key ring at start-up, pulling in XML and OpenSSL: about 9 MB of idle RSS.
    /// Anything that does use data protection still gets its keys, on first use.
    /// </summary>
    private static void WithoutDataProtectionWarmUp(IServiceCollection services)
    {
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService)
                && services[i].ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService")
            {
                services.RemoveAt(i);
            }
        }
    }

    /// <summary>Serves a server defined in code (in addition to any config file).</summary>
    public static IProxyHostBuilder AddServerProcess(this IProxyHostBuilder builder, ServerProcessDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(definition);
        if (ServerNames.Validate(definition.Name) is { } problem)
        {
            throw new ArgumentException(problem, nameof(definition));
        }

        var sources = (ServerDefinitionSources)builder.Services.Single(d => d.ServiceType == typeof(ServerDefinitionSources)).ImplementationInstance!;
        if (sources.CodeDefined.Any(s => string.Equals(s.Name, definition.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"server '{definition.Name}' is already added", nameof(definition));
        }
        sources.CodeDefined.Add(definition);
        return builder;
    }

    /// <summary>Serves the servers of a proxyhost.json file and follows its changes while running.</summary>
    /// <param name="required">When false, a missing file means "no servers yet" rather than an error.</param>
    public static IProxyHostBuilder LoadFromJsonFile(this IProxyHostBuilder builder, string path, bool required = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        builder.Services.AddSingleton(new ConfigFileSource(path, required));
        builder.Services.AddHostedService<ConfigFileCatalogLoader>();
        return builder;
    }
}
