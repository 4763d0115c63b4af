using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProxyHost.Catalog;
using ProxyHost.Configuration;
using ProxyHost.Hosting;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Tests;
using Xunit.Abstractions;
using Yarp.ReverseProxy.Configuration;

namespace ProxyHost.Tests.Hosting;

/// <summary>
/// A real ProxyHost on 127.0.0.1:0, built exactly as <c>proxyhost serve</c> builds it; the one test host of
/// every suite that needs a running ProxyHost. A failed start (a bad config) throws and leaves nothing running.
/// </summary>
public sealed class TestProxyHost : IAsyncDisposable
{
    public const string Token = "proxyhost-test-token";

    private TestProxyHost(WebApplication app, Uri address, string baseUrl, RoutesAppliedSignal routesApplied)
    {
        RoutesApplied = routesApplied;
        App = app;
        Address = address;
        BaseUrl = baseUrl;
    }

    public WebApplication App { get; }

    /// <summary>Scheme, host and port, e.g. http://127.0.0.1:40123.</summary>
    public Uri Address { get; }

    public string BaseUrl { get; }

    /// <summary>Completes once YARP serves the routes of a catalog version.</summary>
    public RoutesAppliedSignal RoutesApplied { get; }

    public IServerProcessSupervisor Supervisor => App.Services.GetRequiredService<IServerProcessSupervisor>();

    public InMemoryServerProcessCatalog Catalog => App.Services.GetRequiredService<InMemoryServerProcessCatalog>();

    public static async Task<TestProxyHost> StartAsync(
        IEnumerable<ServerProcessDefinition>? servers = null,
        string? configPath = null,
        string baseUrl = "/",
        string? token = Token,
        ITestOutputHelper? output = null,
        Action<SupervisionOptions>? supervision = null,
        ILoggerProvider? logSignal = null,
        Action<IServiceCollection>? services = null,
        Action<ProxyHostOptions>? configureOptions = null,
        Action<IProxyHostBuilder>? configureHost = null)
    {
        var routesApplied = new RoutesAppliedSignal();
        var options = new ProxyHostOptions { Address = IPAddress.Loopback, Port = 0, BaseUrl = baseUrl, Token = token, ConfigPath = configPath };
        configureOptions?.Invoke(options);
        var app = ProxyHostApplication.Create(options, configFileRequired: true, configure: (builder, proxyHost) =>
        {
            builder.Logging.ClearProviders();
            if (output is not null)
            {
                builder.Logging.AddProvider(new TestLoggerProvider(output)).SetMinimumLevel(LogLevel.Debug);
            }
            builder.Services.AddSingleton<IConfigChangeListener>(routesApplied);
            if (logSignal is not null)
            {
                builder.Logging.AddProvider(logSignal);
            }
            if (supervision is not null)
            {
                builder.Services.Configure(supervision);
            }
            services?.Invoke(builder.Services);
            foreach (var server in servers ?? [])
            {
                proxyHost.AddServerProcess(server);
            }
            configureHost?.Invoke(proxyHost);
        });
        try
        {
            await app.StartAsync().DefaultTimeout();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new TestProxyHost(app, ListeningAddress.Of(app.Services), options.BaseUrl, routesApplied);
    }

    /// <summary>A client that sends the token header and follows no redirects; a browser keeps six connections per host.</summary>
    public HttpClient CreateClient(bool withToken = true, int maxConnections = int.MaxValue)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, MaxConnectionsPerServer = maxConnections })
        {
            BaseAddress = new Uri(Address, BaseUrl),
            Timeout = TimeSpan.FromSeconds(60),
        };
        if (withToken)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", Token);
        }
        return client;
    }

    public Uri WebSocketUri(string relative) =>
        new(new Uri(Address.ToString().Replace("http://", "ws://", StringComparison.Ordinal)), BaseUrl + relative);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
