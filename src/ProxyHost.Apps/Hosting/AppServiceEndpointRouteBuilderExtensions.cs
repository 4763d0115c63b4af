using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ProxyHost.Apps.Hosting;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps an <see cref="AppServiceRegistry"/>'s URLs into an application's endpoint routing.</summary>
public static class AppServiceEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps everything under the registry's base path (and its admin path). The endpoints are ordinary ones,
    /// so the host's authorization (for ProxyHost, its fallback policy) covers pages, websockets and request
    /// services alike. Websockets need <c>UseWebSockets()</c> earlier in the pipeline.
    /// </summary>
    public static IEndpointConventionBuilder MapAppServices(this IEndpointRouteBuilder endpoints, AppServiceRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(registry);
        var handler = new NarviRequestHandler(registry);
        var basePath = registry.Options.BasePath;
        var builder = endpoints.Map(basePath + "/{**rest}", handler.HandleAsync);
        if (registry.Options.AdminPath is { } adminPath && !adminPath.StartsWith(basePath + "/", StringComparison.Ordinal))
        {
            endpoints.MapGet(adminPath, handler.HandleAsync);
        }
        return builder;
    }

    /// <summary>The stand-alone form: every path goes to the handler, so redirects can live anywhere (Narvi's rule).</summary>
    internal static void MapAllToAppServices(this IEndpointRouteBuilder endpoints, AppServiceRegistry registry)
    {
        var handler = new NarviRequestHandler(registry);
        endpoints.Map("/{**path}", handler.HandleAsync);
    }
}
