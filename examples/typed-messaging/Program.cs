// The typed-messaging example on its own Kestrel: http://127.0.0.1:8050/ (or HTTPS with
// --ssl-cert cert.pem --ssl-key key.pem; --port N). Replies come from the echo option plus one
// handler of its own, which answers the JSON "ping" command.
using ProxyHost.Messaging.Protocol;
using ProxyHost.Messaging.Server;

var options = new WebServerOptions
{
    WebPort = args.Contains("--port") ? int.Parse(args[Array.IndexOf(args, "--port") + 1], System.Globalization.CultureInfo.InvariantCulture) : 8050,
    Root = Path.Combine(AppContext.BaseDirectory, "web"),
    UploadDirectory = Path.Combine(Path.GetTempPath(), "proxyhost-typed-messaging-uploads"),
    Echo = true,
    SslCert = args.Contains("--ssl-cert") ? args[Array.IndexOf(args, "--ssl-cert") + 1] : null,
    SslKey = args.Contains("--ssl-key") ? args[Array.IndexOf(args, "--ssl-key") + 1] : null,
};

await using var server = new WebServer(options);
server.AddMessageHandler(MessageType.Json, message =>
{
    if (!message.IsClientState && message.Json.TryGetProperty("command", out var command) && command.GetString() == "ping")
    {
        message.Reply(new { pong = DateTimeOffset.UtcNow, clients = server.NumClients });
    }
    return ValueTask.CompletedTask;
});
server.ClientConnected += e => Console.WriteLine($"client {e.ClientId} connected from {e.RemoteAddress}");
server.ClientDisconnected += e => Console.WriteLine($"client {e.ClientId} left ({e.CloseStatus} {e.CloseReason})");
await server.StartAsync();
Console.WriteLine($"Typed messaging example on {server.Urls[0]} (Ctrl+C to stop)");
await server.WaitForShutdownAsync();
