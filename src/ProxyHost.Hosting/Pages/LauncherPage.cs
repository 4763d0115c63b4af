using System.Net;
using System.Text;
using ProxyHost.Catalog;
using ProxyHost.Configuration;
using ProxyHost.Hosting.Api;
using ProxyHost.Proxy.Pages;
using ProxyHost.Supervision.Lifecycle;

namespace ProxyHost.Hosting.Pages;

/// <summary>
/// The page at the base URL: a tile per server with a launcher entry (title, icon, category), its state
/// kept live from <c>api/events</c>, and a link that opens it (in a new tab when <c>new_browser_tab</c>).
/// </summary>
internal static class LauncherPage
{
    /// <param name="appTiles">App services that open without a service id (title, path under the base URL), shown after the servers.</param>
    public static string Render(string baseUrl, ServerCatalogSnapshot catalog, IServerProcessSupervisor supervisor, IReadOnlyList<(string Title, string Path)>? appTiles = null)
    {
        appTiles ??= [];
        string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder(8192);
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>ProxyHost</title><style>")
            .Append(PageStyles.Css)
            .Append(".tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:1rem}")
            .Append(".tile{display:flex;flex-direction:column;align-items:center;gap:.6rem;padding:1.2rem .8rem 1rem;background:var(--card);")
            .Append("border:1px solid var(--line);border-radius:.8rem;text-decoration:none;color:var(--fg);transition:transform .1s,box-shadow .1s}")
            .Append(".tile:hover,.tile:focus{transform:translateY(-2px);box-shadow:0 4px 14px rgba(0,0,0,.12);outline:none;border-color:var(--accent)}")
            .Append(".icon{width:3.5rem;height:3.5rem;border-radius:.8rem;display:grid;place-items:center;font-size:1.6rem;font-weight:700;color:#fff;overflow:hidden}")
            .Append(".icon img{width:100%;height:100%;object-fit:contain}.title{font-weight:600;text-align:center;word-break:break-word}")
            .Append("nav{margin-left:auto}</style></head><body><main>")
            .Append("<header><h1>ProxyHost</h1><nav><a href=\"").Append(E(baseUrl)).Append("_/dashboard\">Dashboard</a></nav></header>");

        var tiles = catalog.Servers.Where(s => s.LauncherEntry.Enabled).ToList();
        if (tiles.Count == 0 && appTiles.Count == 0)
        {
            html.Append("<p class=\"muted\">No servers are defined yet. Add one with <code>proxyhost add NAME -- COMMAND &lt;port&gt;</code>.</p>");
        }
        foreach (var category in tiles.GroupBy(s => s.LauncherEntry.Category, StringComparer.OrdinalIgnoreCase))
        {
            html.Append("<section><h2>").Append(E(category.Key)).Append("</h2><div class=\"tiles\">");
            foreach (var server in category)
            {
                var state = ServerInfo.StateName(supervisor.GetSnapshot(server.Name)?.State ?? ServerProcessState.NotStarted);
                html.Append("<a class=\"tile\" data-server=\"").Append(E(server.Name)).Append("\" href=\"").Append(E(baseUrl + server.LauncherPath)).Append('"')
                    .Append(server.NewBrowserTab ? " target=\"_blank\" rel=\"noopener\"" : "").Append('>');
                if (server.LauncherEntry.IconPath is not null)
                {
                    html.Append("<span class=\"icon\"><img alt=\"\" src=\"").Append(E(baseUrl + "_/icons/" + Uri.EscapeDataString(server.Name))).Append("\"></span>");
                }
                else
                {
                    var title = server.LauncherTitle;
                    html.Append("<span class=\"icon\" aria-hidden=\"true\" style=\"background:hsl(").Append(Hue(server.Name)).Append(",55%,45%)\">")
                        .Append(E(title[..1].ToUpperInvariant())).Append("</span>");
                }
                html.Append("<span class=\"title\">").Append(E(server.LauncherTitle)).Append("</span>")
                    .Append("<span class=\"state state-").Append(StateClass(state)).Append("\">").Append(E(StateLabel(state))).Append("</span></a>");
            }
            html.Append("</div></section>");
        }
        if (appTiles.Count > 0)
        {
            html.Append("<section><h2>App services</h2><div class=\"tiles\">");
            foreach (var (title, path) in appTiles)
            {
                html.Append("<a class=\"tile\" data-app=\"").Append(E(path)).Append("\" href=\"").Append(E(baseUrl + path)).Append("\">")
                    .Append("<span class=\"icon\" aria-hidden=\"true\" style=\"background:hsl(").Append(Hue(title)).Append(",55%,45%)\">")
                    .Append(E(title[..1].ToUpperInvariant())).Append("</span><span class=\"title\">").Append(E(title)).Append("</span></a>");
            }
            html.Append("</div></section>");
        }

        return html.Append("</main><script data-events=\"").Append(E(baseUrl + "api/events")).Append("\">").Append(LiveStates).Append("</script></body></html>").ToString();
    }

    /// <summary>The four states a launcher shows: not started, starting, running, failed.</summary>
    internal static string StateLabel(string state) => state switch
    {
        "running" => "running",
        "starting" => "starting",
        "failed" or "backoff" => "failed",
        "stopping" => "stopping",
        _ => "not started",
    };

    internal static string StateClass(string state) => state switch
    {
        "backoff" => "failed",
        "not_started" or "stopped" or "exited" => "idle",
        _ => state,
    };

    private static int Hue(string name) => (int)((uint)name.Aggregate(17, (h, c) => (h * 31) + c) % 360);

    private const string LiveStates = """
        (function(){
        function label(s){return s==='running'||s==='starting'||s==='stopping'?s:(s==='failed'||s==='backoff'?'failed':'not started');}
        function cls(s){return s==='backoff'?'failed':(s==='not_started'||s==='stopped'||s==='exited'?'idle':s);}
        var ev=new EventSource(document.currentScript.dataset.events);
        ev.onmessage=function(e){var s=JSON.parse(e.data);
          document.querySelectorAll('.tile').forEach(function(t){if(t.dataset.server!==s.name)return;
            var b=t.querySelector('.state');b.textContent=label(s.state);b.className='state state-'+cls(s.state);});};
        })();
        """;
}
