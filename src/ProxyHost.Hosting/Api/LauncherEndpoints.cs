using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ProxyHost.Catalog;
using ProxyHost.Configuration;
using ProxyHost.Hosting.Api;
using ProxyHost.Hosting.Pages;

namespace Microsoft.AspNetCore.Builder;

/// <summary>jupyter-server-proxy's launcher endpoints: <c>server-proxy/servers-info</c> and <c>server-proxy/icon/{name}</c>.</summary>
public static class LauncherEndpointExtensions
{
    /// <summary>
    /// Maps the launcher JSON and the icons under the base URL. Both require ProxyHost's auth like every
    /// other endpoint (jupyter-server-proxy serves icons anonymously; a launcher front-end fetching them
    /// from the same origin carries the auth cookie anyway, and one rule for everything is easier to trust).
    /// </summary>
    public static IEndpointRouteBuilder MapLauncherEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var baseUrl = endpoints.ServiceProvider.GetRequiredService<IOptions<ProxyHostOptions>>().Value.BaseUrl;
        endpoints.MapGet(baseUrl + ServersInfo.Path, (IServerProcessCatalog catalog) =>
            Results.Text(ServersInfo.ToJson(catalog.Current.Servers, baseUrl), "application/json"));
        endpoints.MapGet(baseUrl + ServersInfo.IconPath + "{name}", ServerIcons.Get);
        return endpoints;
    }
}
