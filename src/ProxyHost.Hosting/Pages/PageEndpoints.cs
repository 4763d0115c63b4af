using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ProxyHost.Apps.Hosting;
using ProxyHost.Catalog;
using ProxyHost.Configuration;
using ProxyHost.Hosting.Apps;
using ProxyHost.Security;
using ProxyHost.Supervision.Lifecycle;

namespace ProxyHost.Hosting.Pages;

/// <summary>
/// ProxyHost's own pages: the launcher at the base URL, and everything else under <c>&lt;base_url&gt;_/</c>,
/// which no server name can take (names start with a letter or digit).
/// </summary>
internal static class PageEndpoints
{
    public static void MapProxyHostPages(this IEndpointRouteBuilder endpoints)
    {
        var baseUrl = endpoints.ServiceProvider.GetRequiredService<IOptions<ProxyHostOptions>>().Value.BaseUrl;
        endpoints.MapGet(baseUrl, (HttpContext context, IServerProcessCatalog catalog, IServerProcessSupervisor supervisor, AppServiceRegistry apps) =>
            Html(context, LauncherPage.Render(baseUrl, catalog.Current, supervisor, AppTiles(apps))));
        endpoints.MapGet(baseUrl + "_/dashboard", (HttpContext context, IServerProcessCatalog catalog) => Html(context, DashboardPage.Render(baseUrl, catalog.Current)));
        endpoints.MapGet(baseUrl + "_/icons/{name}", ServerIcons.Get);
    }

    private static List<(string, string)> AppTiles(AppServiceRegistry apps) =>
        [.. apps.Apps.Where(a => a.Service.FixedServiceId is not null || a.ServiceChooserAppName is not null)
            .Select(a => (a.Title, $"{AppsConfigLoader.MountName}/{a.Workspace}/{a.Name}/index.html"))];

    private static IResult Html(HttpContext context, string html)
    {
        OwnPageHeaders.Apply(context.Response);
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
