// The benchmark backend: GET /1kb and /1mb, a websocket echo at /ws, and a raw TCP echo port.
// Usage: Backend --port N [--tcp-echo-port M]. Prints "listening" once every port accepts.
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;

var port = ArgValue(args, "--port") ?? throw new ArgumentException("--port N is required");
var tcpEchoPort = ArgValue(args, "--tcp-echo-port");

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k =>
{
    k.Listen(IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http1);
    k.AddServerHeader = false;
    k.Limits.MaxConcurrentConnections = null;
    k.Limits.MaxConcurrentUpgradedConnections = null;
});
var app = builder.Build();
app.UseWebSockets();

var oneKb = Body(1024);
var oneMb = Body(1024 * 1024);
app.MapGet("/", () => Results.Text("ok"));
app.MapGet("/1kb", (HttpContext c) => Send(c, oneKb));
app.MapGet("/1mb", (HttpContext c) => Send(c, oneMb));
app.Map("/ws", Echo);

using var cancel = new CancellationTokenSource();
Task tcpEcho = Task.CompletedTask;
if (tcpEchoPort is { } echoPort)
{
    var listener = new TcpListener(IPAddress.Loopback, echoPort);
    listener.Start(1024);
    tcpEcho = AcceptLoop(listener, cancel.Token);
}
await app.StartAsync();
Console.WriteLine("listening");
await app.WaitForShutdownAsync();
await cancel.CancelAsync();
await tcpEcho;
return 0;

static Task Send(HttpContext context, byte[] body)
{
    context.Response.ContentType = "application/octet-stream";
    context.Response.ContentLength = body.Length;
    return context.Response.Body.WriteAsync(body).AsTask();
}

static async Task Echo(HttpContext context)
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = 400;
        return;
    }
    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    var buffer = new byte[64 * 1024];
    while (socket.State == WebSocketState.Open)
    {
        ValueWebSocketReceiveResult result;
        try
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            return;
        }
        if (result.MessageType == WebSocketMessageType.Close)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            return;
        }
        await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted);
    }
}

static async Task AcceptLoop(TcpListener listener, CancellationToken cancellationToken)
{
    try
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = await listener.AcceptSocketAsync(cancellationToken);
            _ = EchoTcp(client);
        }
    }
    catch (OperationCanceledException)
    {
    }
    finally
    {
        listener.Stop();
    }
}

static async Task EchoTcp(Socket client)
{
    using (client)
    {
        client.NoDelay = true;
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await client.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                await client.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (SocketException)
        {
        }
    }
}

static byte[] Body(int length)
{
    var body = new byte[length];
    for (var i = 0; i < length; i++)
    {
        body[i] = (byte)('a' + (i % 26));
    }
    return body;
}

static int? ArgValue(string[] args, string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : null;
}
