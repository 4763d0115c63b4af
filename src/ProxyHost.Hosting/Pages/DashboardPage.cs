using System.Net;
using System.Text;
using ProxyHost.Catalog;
using ProxyHost.Proxy.Pages;

namespace ProxyHost.Hosting.Pages;

/// <summary>
/// <c>&lt;base_url&gt;_/dashboard</c>: every server with state, pid, port or socket, memory and CPU with a
/// sparkline of the last 10 minutes (from <c>api/servers/NAME/resources</c>), uptime, restarts and
/// last activity (live from <c>api/events</c>), start / stop / restart buttons, and a live tail of the
/// selected server's output (from <c>api/servers/NAME/log/stream</c>).
/// </summary>
internal static class DashboardPage
{
    public static string Render(string baseUrl, ServerCatalogSnapshot catalog)
    {
        string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder(8192);
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Dashboard · ProxyHost</title><style>")
            .Append(PageStyles.Css)
            .Append(".table{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:.6rem}")
            .Append("table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{padding:.55rem .7rem;text-align:left;border-bottom:1px solid var(--line);white-space:nowrap}")
            .Append("th{font-weight:600;color:var(--muted);font-size:.8rem;text-transform:uppercase;letter-spacing:.03em}tr:last-child td{border-bottom:0}")
            .Append("tr.selected td{background:rgba(37,99,235,.07)}td.actions button{font-size:.8rem;padding:.2rem .6rem;margin-right:.2rem}")
            .Append("td.err{white-space:normal;color:var(--bad);font-size:.8rem;max-width:24rem}nav{margin-left:auto}")
            .Append("svg.spark{display:block}svg.spark .mem{stroke:#2563eb}svg.spark .cpu{stroke:#e8590c}svg.spark polyline{fill:none;stroke-width:1.5}")
            .Append("</style></head><body><main id=\"dashboard\"")
            .Append(" data-base=\"").Append(E(baseUrl)).Append("\">")
            .Append("<header><h1>Dashboard</h1><nav><a href=\"").Append(E(baseUrl)).Append("\">Launcher</a></nav></header>");

        if (catalog.Servers.Count == 0)
        {
            html.Append("<p class=\"muted\">No servers are defined yet.</p>");
        }
        html.Append("<div class=\"table\"><table><thead><tr><th>Server</th><th>State</th><th>PID</th><th>Port / socket</th><th>Memory</th><th>CPU</th>")
            .Append("<th title=\"memory (blue) and CPU (orange) over the last 10 minutes\">Last 10 min</th><th>Uptime</th>")
            .Append("<th>Restarts</th><th>Last activity</th><th>Actions</th><th>Last error</th></tr></thead><tbody>");
        foreach (var server in catalog.Servers)
        {
            html.Append("<tr data-server=\"").Append(E(server.Name)).Append("\"><td><a href=\"").Append(E(baseUrl + server.LauncherPath)).Append("\">")
                .Append(E(server.Name)).Append("</a></td><td><span class=\"state\" data-field=\"state\">…</span></td>")
                .Append("<td data-field=\"pid\"></td><td data-field=\"endpoint\"></td><td data-field=\"memory\"></td><td data-field=\"cpu\"></td>")
                .Append("<td data-field=\"spark\"></td><td data-field=\"uptime\"></td><td data-field=\"restarts\"></td>")
                .Append("<td data-field=\"activity\"></td><td class=\"actions\">")
                .Append("<button data-action=\"start\">Start</button><button data-action=\"stop\">Stop</button>")
                .Append("<button data-action=\"restart\">Restart</button><button data-action=\"log\">Log</button></td><td class=\"err\" data-field=\"error\"></td></tr>");
        }
        html.Append("</tbody></table></div>")
            .Append("<h2>Output of <span id=\"log-name\">—</span></h2><pre id=\"log\" aria-live=\"polite\"></pre></main><script>")
            .Append(PageStyles.Script).Append(Script).Append("</script></body></html>");
        return html.ToString();
    }

    // Rows are filled from the snapshot stream (current state first, then changes); every value goes in
    // through textContent. Uptime and "ago" tick locally every second.
    private const string Script = """
        (function(){
        var base=document.getElementById('dashboard').dataset.base,servers={},logSource=null;
        function api(name,rest){return base+'api/servers/'+encodeURIComponent(name)+'/'+rest;}
        function row(name){var r=null;document.querySelectorAll('tr[data-server]').forEach(function(t){if(t.dataset.server===name)r=t;});return r;}
        function cell(r,f){return r.querySelector('[data-field="'+f+'"]');}
        function dur(ms){var s=Math.max(0,Math.floor(ms/1000));if(s<60)return s+' s';var m=Math.floor(s/60);if(m<60)return m+' min '+(s%60)+' s';var h=Math.floor(m/60);return h+' h '+(m%60)+' min';}
        function cls(s){return s==='backoff'?'failed':(s==='not_started'||s==='stopped'||s==='exited'?'idle':s);}
        function render(s){var r=row(s.name);if(!r)return;var now=Date.now();
          var st=cell(r,'state');st.textContent=s.state.replace('_',' ');st.className='state state-'+cls(s.state);
          cell(r,'pid').textContent=s.pid==null?'':s.pid;
          cell(r,'endpoint').textContent=s.unix_socket?s.unix_socket:(s.port?s.port:'');
          cell(r,'uptime').textContent=s.state==='running'&&s.started?dur(now-Date.parse(s.started)):'';
          cell(r,'restarts').textContent=s.restarts;
          cell(r,'activity').textContent=s.last_activity?dur(now-Date.parse(s.last_activity))+' ago':'never';
          cell(r,'error').textContent=s.state==='failed'||s.state==='backoff'?(s.last_error||'')+(s.last_exit?' (exit code '+s.last_exit.code+')':''):'';
          r.querySelector('[data-action="start"]').disabled=s.state==='running'||s.state==='starting'||!s.managed;
          r.querySelector('[data-action="stop"]').disabled=!(s.state==='running'||s.state==='starting'||s.state==='backoff')||!s.managed;
          r.querySelector('[data-action="restart"]').disabled=!s.managed;}
        function bytes(b){var u=['bytes','KiB','MiB','GiB','TiB'],i=0;while(b>=1024&&i<u.length-1){b/=1024;i++;}return (i?b.toFixed(1):b)+' '+u[i];}
        var SVG='http://www.w3.org/2000/svg';
        function line(samples,value,max,cls){var p=document.createElementNS(SVG,'polyline'),n=samples.length;p.setAttribute('class',cls);
          p.setAttribute('points',samples.map(function(x,i){return (n<2?0:i*120/(n-1)).toFixed(1)+','+(23-22*Math.min(1,(value(x)||0)/max)).toFixed(1);}).join(' '));return p;}
        function usage(name,samples){var r=row(name);if(!r)return;var last=samples.length?samples[samples.length-1]:null;
          cell(r,'memory').textContent=last?bytes(last.memory_bytes):'';
          cell(r,'cpu').textContent=last&&last.cpu_percent!=null?last.cpu_percent.toFixed(1)+' %':'';
          var c=cell(r,'spark');c.textContent='';if(samples.length<2)return;
          var svg=document.createElementNS(SVG,'svg');svg.setAttribute('class','spark');svg.setAttribute('width','120');svg.setAttribute('height','24');
          var mem=Math.max.apply(null,samples.map(function(x){return x.memory_bytes;}))||1,cpu=Math.max(100,Math.max.apply(null,samples.map(function(x){return x.cpu_percent||0;})));
          svg.appendChild(line(samples,function(x){return x.memory_bytes;},mem,'mem'));svg.appendChild(line(samples,function(x){return x.cpu_percent;},cpu,'cpu'));c.appendChild(svg);}
        function refreshUsage(){Object.keys(servers).forEach(function(n){
          if(servers[n].state!=='running'){usage(n,[]);return;}
          fetch(api(n,'resources')).then(function(r){return r.ok?r.json():{samples:[]};}).then(function(h){usage(n,h.samples);}).catch(function(){});});}
        function showLog(name){if(logSource)logSource.close();var out=document.getElementById('log');out.textContent='';
          document.getElementById('log-name').textContent=name;
          document.querySelectorAll('tr[data-server]').forEach(function(t){t.classList.toggle('selected',t.dataset.server===name);});
          logSource=new EventSource(api(name,'log/stream?lines=200'));
          logSource.onmessage=function(e){var l=JSON.parse(e.data);out.textContent+=l.text+'\n';out.scrollTop=out.scrollHeight;};}
        document.querySelectorAll('tr[data-server] button').forEach(function(b){b.onclick=function(){
          var name=b.closest('tr').dataset.server,a=b.dataset.action;if(a==='log'){showLog(name);return;}
          b.disabled=true;phPost(api(name,a)).then(function(r){return r.json();}).then(function(j){if(j.name)render(j);else if(j.server)render(j.server);})
            .catch(function(){}).finally(function(){if(servers[name])render(servers[name]);});};});
        var ev=new EventSource(base+'api/events');
        ev.onmessage=function(e){var s=JSON.parse(e.data);servers[s.name]=s;render(s);};
        setInterval(function(){Object.keys(servers).forEach(function(n){render(servers[n]);});},1000);
        setInterval(refreshUsage,2000);
        var first=document.querySelector('tr[data-server]');if(first)showLog(first.dataset.server);
        })();
        """;
}
