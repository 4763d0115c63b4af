using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ProxyHost.Configuration;
using ProxyHost.Hosting.Api;
using ProxyHost.Hosting.Messaging;
using ProxyHost.Hosting.Metrics;
using ProxyHost.Hosting.Pages;
using ProxyHost.Hosting.Security;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds ProxyHost's middleware and endpoints to an application.</summary>
public static class ProxyHostApplicationBuilderExtensions
{
    /// <summary>
    /// The Host check (DNS rebinding), websocket acceptance (for the raw-socket bridge; YARP tunnels proxied
    /// upgrades itself), the tracking of open upgraded connections (closed when the host stops), the
    /// cross-origin check, the token login redirect and the authentication every endpoint requires.
    /// </summary>
    public static IApplicationBuilder UseProxyHost(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<HostCheckMiddleware>();
        app.UseWebSockets();
        app.UseMiddleware<ProxyHost.Proxy.Upgrades.UpgradedConnectionMiddleware>();
        app.UseMiddleware<OriginCheckMiddleware>();
        app.UseMiddleware<TokenLoginMiddleware>();
        app.UseMiddleware<TokenAuthorizationMiddleware>();
        app.UseAuthorization();
        return app;
    }

    /// <summary>The server-process routes and ProxyHost's own pages.</summary>
    public static IEndpointRouteBuilder MapProxyHost(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapServerProcessProxy();
        endpoints.MapProxyHostPages();
        endpoints.MapServerApi();
        endpoints.MapProxyHostMetrics();
        endpoints.MapLauncherEndpoints();
        endpoints.MapArbitraryPortProxy();
        endpoints.MapProxyHostApps();
        endpoints.MapRelays(endpoints.ServiceProvider.GetRequiredService<IOptions<ProxyHostOptions>>().Value.BaseUrl);
        endpoints.MapTypedMessagingSites();
        return endpoints;
    }
}
