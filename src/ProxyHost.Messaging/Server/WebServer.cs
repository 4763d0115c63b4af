using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ProxyHost.Security;

namespace ProxyHost.Messaging.Server;

/// <summary>
/// The seed's <c>WebServer</c> on its own Kestrel: the site and its websocket on one port (plus an
/// optional legacy websocket port), HTTPS/WSS from PEM files. Add routes to <see cref="App"/> before
/// <see cref="StartAsync"/>; handle messages with <see cref="MessagingOptions.MessageCallback"/>,
/// <see cref="MessagingHub.AddMessageHandler(MessageHandler)"/> or by overriding <c>OnMessage</c>.
/// It has no authentication of its own; serve it through ProxyHost's <c>webservers</c> for that.
/// </summary>
public class WebServer : MessagingHub
{
    private int _webSocketPort = -1;

    /// <exception cref="ArgumentException">Inconsistent options, or a certificate/key file that cannot be used (the message names <c>SslCert</c>/<c>SslKey</c>).</exception>
    public WebServer(WebServerOptions options, ILoggerFactory? loggerFactory = null)
        : base(options, loggerFactory, "webserver")
    {
        if (!IPAddress.TryParse(options.WebHost, out var address))
        {
            throw new ArgumentException($"WebHost: '{options.WebHost}' is not an IP address", nameof(options));
        }
        if ((options.SslCert is null) != (options.SslKey is null))
        {
            throw new ArgumentException("SslCert and SslKey go together: give both PEM files or neither", nameof(options));
        }
        var certificate = options.SslCert is null ? null : PemCertificate.Load(options.SslCert, options.SslKey!, nameof(options.SslCert), nameof(options.SslKey));

        var builder = WebApplication.CreateSlimBuilder(WebApplicationDefaults.Options("ProxyHost.Messaging"));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (loggerFactory is not null)
        {
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton(loggerFactory);
        }
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, options.WebPort, listen => UseTls(listen, certificate));
            if (options.WebSocketPort is { } wsPort)
            {
                kestrel.Listen(address, wsPort, listen => UseTls(listen, certificate));
            }
        });
        App = builder.Build();
        App.UseWebSockets();
        App.Use((context, next) =>
            context.Connection.LocalPort == _webSocketPort && context.WebSockets.IsWebSocketRequest ? AcceptAsync(context) : next(context));
        App.MapTypedMessaging("/", this);
        App.Lifetime.ApplicationStopping.Register(CloseAll);
    }

    /// <summary>The application; map extra routes on it before <see cref="StartAsync"/>.</summary>
    public WebApplication App { get; }

    /// <summary>The bound addresses once started, web port first (e.g. <c>https://127.0.0.1:8050</c>).</summary>
    public IReadOnlyList<Uri> Urls { get; private set; } = [];

    /// <summary>Starts listening and returns; the seed's <c>start()</c>.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await App.StartAsync(cancellationToken).ConfigureAwait(false);
        Urls = [.. App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a))];
        if (((WebServerOptions)Options).WebSocketPort is not null && Urls.Count > 1)
        {
            _webSocketPort = Urls[1].Port;
            WebSocketPortHint = _webSocketPort;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken = default) => App.StopAsync(cancellationToken);

    /// <summary>Completes when the server is asked to stop (Ctrl+C, SIGTERM, or <paramref name="cancellationToken"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => App.WaitForShutdownAsync(cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    private static void UseTls(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate)
    {
        if (certificate is not null)
        {
            listen.UseHttps(certificate);
        }
    }
}
