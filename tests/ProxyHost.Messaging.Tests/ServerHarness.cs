using ProxyHost.Messaging.Server;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Messaging.Tests;

/// <summary>Real standalone <see cref="WebServer"/>s on 127.0.0.1:0 with a temp folder, stopped after each test.</summary>
public abstract class ServerHarness : IAsyncLifetime
{
    private readonly List<WebServer> _servers = [];

    internal LogCapture Logs { get; } = new();

    protected DirectoryInfo Directory { get; } = System.IO.Directory.CreateTempSubdirectory("proxyhost-messaging-");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync().AsTask().DefaultTimeout();
        }
        Directory.Delete(recursive: true);
    }

    internal async Task<T> StartAsync<T>(T server)
        where T : WebServer
    {
        _servers.Add(server);
        await server.StartAsync(TestTimeouts.DefaultToken()).DefaultTimeout();
        return server;
    }

    internal Task<WebServer> StartAsync(Action<WebServerOptions>? configure = null) => StartAsync(new WebServer(Options(configure), Logs));

    internal static WebServerOptions Options(Action<WebServerOptions>? configure)
    {
        var options = new WebServerOptions { WebPort = 0 };
        configure?.Invoke(options);
        return options;
    }

    internal static Uri WebSocketUri(WebServer server, string path = "/ws") =>
        new UriBuilder(server.Urls[0]) { Scheme = server.Urls[0].Scheme == "https" ? "wss" : "ws", Path = path }.Uri;

    internal static Task<TypedClient> ConnectAsync(WebServer server) => TypedClient.ConnectAsync(WebSocketUri(server));

    internal static HttpClient HttpClientFor(WebServer server) => new() { BaseAddress = server.Urls[0] };
}
