using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyHost.Configuration;
using ProxyHost.Security;
using ProxyHost.Supervision.Lifecycle;

namespace ProxyHost.Proxy.Pages;

/// <summary>
/// The "Starting NAME…" page a browser gets while a server is not running yet: it starts the server in
/// the background, shows the elapsed time and the output as it arrives (from the API's event streams),
/// and reloads into the server the moment it is ready, or shows the failure with a Restart button.
/// </summary>
internal sealed partial class StartingPage(
    IServerProcessSupervisor supervisor, IOptions<ProxyHostOptions> options, TimeProvider timeProvider, ILogger<StartingPage> logger)
{
    /// <summary>True for a browser's page load of a managed server that is not running and not failed.</summary>
    public bool ShouldServe(HttpContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        return HttpMethods.IsGet(context.Request.Method)
            && !context.WebSockets.IsWebSocketRequest
            && ErrorPage.WantsHtml(context.Request)
            && supervisor.GetSnapshot(name) is { IsManaged: true } snapshot
            && snapshot.State is ServerProcessState.NotStarted or ServerProcessState.Starting or ServerProcessState.Stopped
                or ServerProcessState.Stopping or ServerProcessState.Exited;
    }

    /// <summary>The API URL of one server's action or stream, e.g. <c>/base/api/servers/NAME/restart</c>.</summary>
    public string ApiUrl(string name, string action) => $"{options.Value.BaseUrl}api/servers/{Uri.EscapeDataString(name)}/{action}";

    public Task WriteAsync(HttpContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        _ = StartInBackgroundAsync(name);
        var snapshot = supervisor.GetSnapshot(name);
        var started = snapshot is { State: ServerProcessState.Starting, StartedAt: { } at } ? at : timeProvider.GetUtcNow();

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.Headers.CacheControl = "no-store";
        OwnPageHeaders.Apply(context.Response);
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(Render(name, started), context.RequestAborted);
    }

    private async Task StartInBackgroundAsync(string name)
    {
        try
        {
            await supervisor.EnsureRunningAsync(name, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ServerUnavailableException e)
        {
            Log.BackgroundStartFailed(logger, name, e.Message);
        }
    }

    private string Render(string name, DateTimeOffset started)
    {
        string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder(4096);
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>Starting ").Append(E(name)).Append("… · ProxyHost</title>")
            .Append("<noscript><meta http-equiv=\"refresh\" content=\"2\"></noscript>")
            .Append("<style>").Append(PageStyles.Css).Append("</style></head><body><main id=\"starting\"")
            .Append(" data-name=\"").Append(E(name)).Append('"')
            .Append(" data-events=\"").Append(E(ApiUrl(name, "events"))).Append('"')
            .Append(" data-log=\"").Append(E(ApiUrl(name, "log/stream?lines=200"))).Append('"')
            .Append(" data-restart=\"").Append(E(ApiUrl(name, "restart"))).Append('"')
            .Append(" data-started=\"").Append(started.ToUnixTimeMilliseconds()).Append("\">")
            .Append("<h1 id=\"title\">Starting ").Append(E(name)).Append("…</h1>")
            .Append("<p><span id=\"state\" class=\"state state-starting\">starting</span> <span class=\"muted\">for <span id=\"elapsed\">0</span> s</span></p>")
            .Append("<p id=\"error\" class=\"error\" hidden></p><p><button id=\"restart\" class=\"primary\" hidden>Restart</button></p>")
            .Append("<h2>Output</h2><pre id=\"output\"></pre></main><script>").Append(PageStyles.Script)
            .Append(StartingScript).Append("</script></body></html>");
        return html.ToString();
    }

    // Reload as soon as the server is running; the output stream and the state stream are separate so
    // neither waits for the other. Text goes in through textContent only.
    private const string StartingScript = """
        (function(){
        var m=document.getElementById('starting'),out=document.getElementById('output'),st=document.getElementById('state');
        var t0=Number(m.dataset.started),done=false;
        var tick=setInterval(function(){document.getElementById('elapsed').textContent=Math.max(0,Math.round((Date.now()-t0)/1000));},250);
        var log=new EventSource(m.dataset.log);
        log.onmessage=function(e){var l=JSON.parse(e.data);out.textContent+=l.text+'\n';out.scrollTop=out.scrollHeight;};
        var ev=new EventSource(m.dataset.events);
        ev.onmessage=function(e){
          var s=JSON.parse(e.data);if(done)return;
          if(s.state==='running'){done=true;ev.close();log.close();st.textContent='running';st.className='state state-running';location.reload();}
          else if(s.state==='failed'||s.state==='backoff'){
            done=true;clearInterval(tick);ev.close();
            document.getElementById('title').textContent=m.dataset.name+' failed to start';
            st.textContent=s.state;st.className='state state-failed';
            var err=document.getElementById('error');err.hidden=false;
            err.textContent=(s.last_error||'The server failed.')+(s.last_exit?' (exit code '+s.last_exit.code+')':'');
            var b=document.getElementById('restart');b.hidden=false;
            b.onclick=function(){b.disabled=true;b.textContent='Restarting…';phPost(m.dataset.restart).then(function(){location.reload();});};
          }
        };
        })();
        """;

    private static partial class Log
    {
        [LoggerMessage(EventId = ProxyEventIds.BackgroundStartFailed, Level = LogLevel.Debug, Message = "{Server}: start for the starting page failed: {Reason}")]
        public static partial void BackgroundStartFailed(ILogger logger, string server, string reason);
    }
}
