using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProxyHost.Configuration;
using ProxyHost.Hosting;
using ProxyHost.Tests;
using Xunit.Abstractions;

namespace ProxyHost.Relay.Tests.Infrastructure;

/// <summary>A real ProxyHost on 127.0.0.1:0 (built as <c>proxyhost serve</c> builds it) serving relays.</summary>
public sealed class RelayTestHost : IAsyncDisposable
{
    public const string Token = "relay-test-token";

    private RelayTestHost(WebApplication app, Uri address, LogEvents events)
    {
        App = app;
        Address = address;
        Events = events;
    }

    public WebApplication App { get; }

    public Uri Address { get; }

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
        var options = new ProxyHostOptions { Address = IPAddress.Loopback, Port = port, BaseUrl = baseUrl, Token = Token, ConfigPath = configPath };
        var app = ProxyHostApplication.Create(options, configFileRequired: true, configure: (builder, proxyHost) =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(new TestLoggerProvider(output)).AddProvider(events).SetMinimumLevel(LogLevel.Debug);
            builder.Services.AddSingleton(FastTuning);
            foreach (var (name, relayOptions) in relays ?? [])
            {
                proxyHost.AddRelay(name, relayOptions);
            }
        });
        await app.StartAsync().DefaultTimeout();
        return new RelayTestHost(app, ListeningAddress.Of(app.Services), events);
    }

    public Uri WebSocketUri(string relative, bool withToken = false) =>
        new($"ws://{Address.Authority}/{relative}{(withToken ? "?token=" + Token : "")}");

    public HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("token", Token);
        return client;
    }

    public async Task<RelayClient> ConnectAsync(string relative) => await RelayClient.ConnectAsync(WebSocketUri(relative, withToken: true));

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
