using Microsoft.Extensions.DependencyInjection;
using ProxyHost.Configuration;
using ProxyHost.Hosting;
using ProxyHost.Tests.Hosting;
using Xunit.Abstractions;

namespace ProxyHost.Relay.Tests.Infrastructure;

/// <summary>The shared <see cref="TestProxyHost"/> serving relays, with fast reconnects and the relays' log events recorded.</summary>
public sealed class RelayTestHost : IAsyncDisposable
{
    public const string Token = TestProxyHost.Token;

    private readonly TestProxyHost _host;

    private RelayTestHost(TestProxyHost host, LogEvents events)
    {
        _host = host;
        Events = events;
    }

    public Uri Address => _host.Address;

    public LogEvents Events { get; }

    /// <summary>Fast reconnects for tests; the close timeout stays generous so a slow machine does not abort a close handshake.</summary>
    internal static RelayTuning FastTuning { get; } = new()
    {
        ReconnectBaseDelay = TimeSpan.FromMilliseconds(50),
        ConnectTimeout = TimeSpan.FromSeconds(20),
        CloseTimeout = TimeSpan.FromSeconds(60),
    };

    public static async Task<RelayTestHost> StartAsync(
        ITestOutputHelper output, IEnumerable<(string Name, RelayOptions Options)>? relays = null, string? configPath = null, string baseUrl = "/", int port = 0)
    {
        var events = new LogEvents();
        var host = await TestProxyHost.StartAsync(
            configPath: configPath,
            baseUrl: baseUrl,
            output: output,
            logSignal: events,
            services: services => services.AddSingleton(FastTuning),
            configureOptions: options => options.Port = port,
            configureHost: proxyHost =>
            {
                foreach (var (name, relayOptions) in relays ?? [])
                {
                    proxyHost.AddRelay(name, relayOptions);
                }
            });
        return new RelayTestHost(host, events);
    }

    public Uri WebSocketUri(string relative, bool withToken = false) =>
        new($"ws://{Address.Authority}/{relative}{(withToken ? "?token=" + Token : "")}");

    public HttpClient CreateClient() => _host.CreateClient();

    public async Task<RelayClient> ConnectAsync(string relative) => await RelayClient.ConnectAsync(WebSocketUri(relative, withToken: true));

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
