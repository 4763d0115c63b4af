using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ProxyHost.Catalog;
using ProxyHost.Configuration;
using ProxyHost.Supervision.Lifecycle;

namespace ProxyHost.Hosting.Pages;

/// <summary>The page at the base URL: one entry per server with its state and a link that opens it.</summary>
internal static class IndexPage
{
    public static void MapIndexPage(this IEndpointRouteBuilder endpoints)
    {
        var baseUrl = endpoints.ServiceProvider.GetRequiredService<IOptions<ProxyHostOptions>>().Value.BaseUrl;
        endpoints.MapGet(baseUrl, (IServerProcessCatalog catalog, IServerProcessSupervisor supervisor) =>
            Results.Content(Render(baseUrl, catalog.Current, supervisor), "text/html; charset=utf-8"));
    }

    private static string Render(string baseUrl, ServerCatalogSnapshot catalog, IServerProcessSupervisor supervisor)
    {
        var html = new StringBuilder(4096);
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>ProxyHost</title>")
            .Append("<style>body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:50rem;padding:0 1rem;color:#222}")
            .Append("ul{list-style:none;padding:0}li{display:flex;justify-content:space-between;padding:.7rem 1rem;border:1px solid #ddd;")
            .Append("border-radius:.4rem;margin:.5rem 0}a{font-weight:600;color:#0b5cad;text-decoration:none}.state{color:#666}</style>")
            .Append("</head><body><h1>ProxyHost</h1>");
        if (catalog.Servers.Count == 0)
        {
            html.Append("<p>No servers are defined yet. Add one with <code>proxyhost add NAME -- COMMAND &lt;port&gt;</code>.</p>");
        }
        else
        {
            html.Append("<ul>");
            foreach (var server in catalog.Servers)
            {
                var state = supervisor.GetSnapshot(server.Name)?.State ?? ServerProcessState.NotStarted;
                var target = server.NewBrowserTab ? " target=\"_blank\" rel=\"noopener\"" : "";
                html.Append("<li><a href=\"").Append(WebUtility.HtmlEncode(baseUrl + server.LauncherPath)).Append('"').Append(target).Append('>')
                    .Append(WebUtility.HtmlEncode(server.LauncherTitle)).Append("</a><span class=\"state\">")
                    .Append(WebUtility.HtmlEncode(Describe(state))).Append("</span></li>");
            }
            html.Append("</ul>");
        }
        return html.Append("</body></html>").ToString();
    }

    private static string Describe(ServerProcessState state) => state switch
    {
        ServerProcessState.NotStarted => "not started",
        ServerProcessState.Running => "running",
        ServerProcessState.Starting => "starting",
        ServerProcessState.Failed => "failed",
        _ => state.ToString().ToLowerInvariant(),
    };
}
