using ProxyHost.Apps.Hosting;
using Xunit.Abstractions;

namespace ProxyHost.Apps.Tests.Infrastructure;

/// <summary>A real stand-alone <see cref="NarviServer"/> on 127.0.0.1:0 with helpers for its URLs.</summary>
public sealed class NarviTestServer : IAsyncDisposable
{
    private NarviTestServer(NarviServer server) => Server = server;

    public NarviServer Server { get; }

    public Uri Address => Server.Address!;

    /// <summary>Creates the server; register services and apps in <paramref name="register"/>, then it starts.</summary>
    public static async Task<NarviTestServer> StartAsync(Action<NarviServer> register, ITestOutputHelper? output = null, string? adminPath = null,
        TimeSpan? monitoringInterval = null, TimeSpan? monitoringRetention = null)
    {
        var server = new NarviServer("127.0.0.1", 0, adminPath: adminPath, monitoringInterval: monitoringInterval, monitoringRetention: monitoringRetention,
            logging: output is null ? null : b => b.AddProvider(new TestLoggerProvider(output)).SetMinimumLevel(LogLevel.Debug));
        register(server);
        await server.StartAsync().DefaultTimeout();
        return new NarviTestServer(server);
    }

    public HttpClient CreateClient() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        BaseAddress = Address,
        Timeout = TestTimeouts.Default,
    };

    public Uri WebSocketUri(string path) => new(new Uri(Address.ToString().Replace("http://", "ws://", StringComparison.Ordinal)), path);

    public Task<NarviClient> ConnectAsync(string path) => NarviClient.ConnectAsync(WebSocketUri(path));

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
