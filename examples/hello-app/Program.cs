// A small web tool for the examples: it listens where ProxyHost tells it (a port or a Unix socket),
// shows what it received, and echoes websocket messages, so every proxy feature can be seen at work.
using System.Net;
using System.Net.WebSockets;
using System.Text;

var port = Argument("--port");
var socket = Argument("--unix-socket");
if (port is null && socket is null)
{
    Console.Error.WriteLine("usage: hello-app --port PORT | --unix-socket PATH");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.ConfigureKestrel(k =>
{
    if (socket is not null)
    {
        k.ListenUnixSocket(socket);
    }
    else
    {
        k.Listen(IPAddress.Loopback, int.Parse(port!));
    }
});
var app = builder.Build();
app.UseWebSockets();

app.MapGet("/", (HttpRequest request) => Results.Content($$"""
    <!doctype html><html lang="en"><head><meta charset="utf-8"><title>hello-app</title>
    <style>body{font-family:system-ui,sans-serif;margin:2rem}code{background:#eee;padding:0 .3rem}</style></head>
    <body><h1>Hello from an ASP.NET app behind ProxyHost</h1>
    <p>I saw the path <code>{{WebUtility.HtmlEncode(request.Path)}}</code>; my public prefix is
    <code>{{WebUtility.HtmlEncode(request.Headers["X-Forwarded-Prefix"].ToString())}}</code>.</p>
    <p>Websocket: <input id="m" value="hi"> <button onclick="ws.send(m.value)">send</button> <span id="r"></span></p>
    <script>
      const ws = new WebSocket(location.href.replace(/^http/, "ws").replace(/\/?$/, "/ws"));
      ws.onmessage = e => document.getElementById("r").textContent = e.data;
    </script></body></html>
    """, "text/html"));

app.Map("/ws", async context =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = 400;
        return;
    }
    using var ws = await context.WebSockets.AcceptWebSocketAsync();
    var buffer = new byte[4096];
    while (true)
    {
        var received = await ws.ReceiveAsync(buffer, context.RequestAborted);
        if (received.MessageType == WebSocketMessageType.Close)
        {
            await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            return;
        }
        var reply = Encoding.UTF8.GetBytes($"hello-app got: {Encoding.UTF8.GetString(buffer, 0, received.Count)}");
        await ws.SendAsync(reply, WebSocketMessageType.Text, true, context.RequestAborted);
    }
});

Console.WriteLine(socket is null ? $"hello-app listening on http://127.0.0.1:{port}" : $"hello-app listening on unix:{socket}");
await app.RunAsync();
return 0;

string? Argument(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
