using System.Globalization;
using ProxyHost.Apps.Hosting;
using ProxyHost.Apps.Monitoring;

// dotnet run --project examples/narvi-chat -- [PORT]
var port = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8999;
var statics = Path.Combine(AppContext.BaseDirectory, "static");

await using var server = new NarviServer("127.0.0.1", port, adminPath: "/admin",
    monitoringInterval: TimeSpan.FromSeconds(2), monitoringRetention: TimeSpan.FromMinutes(5));
var chat = server.RegisterService("demo", "chat_service", "NarviChat.ChatService", new { greeting = "Welcome" },
    serviceIdValidator: id => id.Length <= 40 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
var rooms = server.RegisterService("demo", "rooms_service", "NarviChat.RoomsService", fixedServiceId: "rooms");
server.RegisterApp("chat", chat, new { title = "Chat" }, [ResourceRoot.Folder("", "*", Path.Combine(statics, "chat"))], serviceChooserAppName: "rooms");
server.RegisterApp("rooms", rooms, resourceRoots: [ResourceRoot.File("index.html", Path.Combine(statics, "rooms", "index.html"))]);
MonitorApp.Register(server.Registry);
server.RegisterRedirect("/", "demo", "chat");

// Runs until Ctrl+C or SIGTERM, then closes every room gracefully.
await server.RunAsync(() =>
{
    Console.WriteLine($"Narvi chat listening on {server.Address}narvi/demo/chat/lobby/index.html");
    foreach (var (workspace, app, url) in server.ListAppUrls())
    {
        Console.WriteLine($"  {workspace}/{app}: {url}");
    }
});
