using Microsoft.AspNetCore.Routing;
using ProxyHost.Hosting.Pages;
using ProxyHost.Hosting.Security;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds ProxyHost's middleware and endpoints to an application.</summary>
public static class ProxyHostApplicationBuilderExtensions
{
    /// <summary>The token login redirect and the authentication every endpoint requires.</summary>
    public static IApplicationBuilder UseProxyHost(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<TokenLoginMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>The server-process routes and ProxyHost's own pages.</summary>
    public static IEndpointRouteBuilder MapProxyHost(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapServerProcessProxy();
        endpoints.MapIndexPage();
        endpoints.MapLauncherEndpoints();
        endpoints.MapArbitraryPortProxy();
        return endpoints;
    }
}
