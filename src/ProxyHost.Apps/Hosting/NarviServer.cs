using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ProxyHost.Security;

namespace ProxyHost.Apps.Hosting;

/// <summary>
/// Narvi's server, in C#: registers application services and their web frontends and serves them on its own
/// Kestrel. Register everything, then <see cref="RunAsync"/> (or <see cref="StartAsync"/> and later
/// <see cref="DisposeAsync"/>, which closes every instance and session gracefully).
/// </summary>
public sealed class NarviServer : IAsyncDisposable
{
    private readonly string _host;
    private readonly int _port;
    private readonly Action<ILoggingBuilder>? _logging;
    private readonly TaskCompletionSource _hostStopping = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;
    private int _disposed;

    /// <param name="host">"localhost" (loopback, IPv4 and IPv6), an IP address, or "0.0.0.0"/"*" for every interface.</param>
    /// <param name="port">The port; 0 picks a free one (see <see cref="Address"/>).</param>
    /// <param name="basePath">The prefix of every app URL.</param>
    /// <param name="adminPath">An absolute path that answers the admin JSON, or null.</param>
    /// <param name="monitoringInterval">How often metrics are polled; null turns monitoring off.</param>
    /// <param name="monitoringRetention">How long metrics are kept; null keeps all (for as long as an instance runs).</param>
    /// <param name="logging">Configures logging of the server (default: none).</param>
    public NarviServer(string host = "localhost", int port = 8999, string basePath = "/narvi", string? adminPath = null,
        TimeSpan? monitoringInterval = null, TimeSpan? monitoringRetention = null, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        if (!basePath.StartsWith('/'))
        {
            throw new ArgumentException("the base path must start with '/'", nameof(basePath));
        }
        if (adminPath is not null && !adminPath.StartsWith('/'))
        {
            throw new ArgumentException("the admin path must start with '/'", nameof(adminPath));
        }
        if (monitoringInterval is { } interval && interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(monitoringInterval), "the monitoring interval must be positive");
        }
        _host = host;
        _port = port;
        _logging = logging;
        LoggerFactory = logging is null ? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance : Microsoft.Extensions.Logging.LoggerFactory.Create(logging);
        Registry = new AppServiceRegistry(new NarviOptions
        {
            BasePath = basePath,
            AdminPath = adminPath,
            MonitoringInterval = monitoringInterval,
            MonitoringRetention = monitoringRetention,
            LoggerFactory = LoggerFactory,
        });
    }

    /// <summary>The runtime holding the registrations and instances.</summary>
    public AppServiceRegistry Registry { get; }

    /// <summary>Where the server listens once started, e.g. <c>http://127.0.0.1:8999</c>.</summary>
    public Uri? Address { get; private set; }

    private ILoggerFactory LoggerFactory { get; }

    /// <inheritdoc cref="AppServiceRegistry.RegisterService"/>
    public RegisteredService RegisterService(string workspace, string appServiceName, string appClassName, object? appParameters = null,
        string? fixedServiceId = null, bool sharedService = true, Func<string, bool>? serviceIdValidator = null, TimeSpan? idleTimeout = null) =>
        Registry.RegisterService(workspace, appServiceName, appClassName, appParameters, fixedServiceId, sharedService, serviceIdValidator, idleTimeout);

    /// <inheritdoc cref="AppServiceRegistry.RegisterApp"/>
    public RegisteredApp RegisterApp(string appName, RegisteredService service, object? appParameters = null,
        IEnumerable<ResourceRoot>? resourceRoots = null, string? serviceChooserAppName = null) =>
        Registry.RegisterApp(appName, service, appParameters, resourceRoots, serviceChooserAppName);

    /// <summary>Redirects the absolute path <paramref name="fromUrl"/> (e.g. <c>/</c> or <c>chat</c>) to the app's index page.</summary>
    public void RegisterRedirect(string fromUrl, string toWorkspace, string toApp) => Registry.RegisterRedirect(fromUrl, toWorkspace, toApp);

    /// <summary>(workspace, app name, URL) for the admin path, every app openable without a service id, and every redirect.</summary>
    public IReadOnlyList<(string Workspace, string AppName, string Url)> ListAppUrls() => Registry.ListAppUrls(PublicOrigin());

    public Task StartServiceAsync(string workspace, string appServiceName, string serviceId) => Registry.StartServiceAsync(workspace, appServiceName, serviceId);

    public Task<bool> StopServiceAsync(string workspace, string appServiceName, string serviceId) => Registry.StopServiceAsync(workspace, appServiceName, serviceId);

    public Task RestartServiceAsync(string workspace, string appServiceName, string serviceId) => Registry.RestartServiceAsync(workspace, appServiceName, serviceId);

    public JsonObject GetServiceStatuses(string forWorkspace) => Registry.GetServiceStatuses(forWorkspace);

    /// <inheritdoc cref="EmbeddedResources.GetPathOfResource(Assembly, string)"/>
    public static string GetPathOfResource(Assembly assembly, string resource = "") => EmbeddedResources.GetPathOfResource(assembly, resource);

    /// <inheritdoc cref="EmbeddedResources.GetPathOfResource(string, string)"/>
    public static string GetPathOfResource(string assemblyName, string resource = "") => EmbeddedResources.GetPathOfResource(assemblyName, resource);

    /// <summary>Starts listening; fixed-id services are constructed first. Completes once connections are accepted.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("the server is already started");
        }
        var builder = WebApplication.CreateSlimBuilder(WebApplicationDefaults.Options("Narvi"));
        builder.Logging.ClearProviders();
        if (_logging is not null)
        {
            _logging(builder.Logging);
        }
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (_host == "localhost")
            {
                kestrel.ListenLocalhost(_port);
            }
            else if (_host is "*" or "0.0.0.0")
            {
                kestrel.ListenAnyIP(_port);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(_host), _port);
            }
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(10) });
        app.MapAllToAppServices(Registry);
        await Registry.StartAsync().ConfigureAwait(false);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        // The host's console lifetime turns SIGTERM and Ctrl+C into ApplicationStopping; RunAsync ends on it too.
        app.Lifetime.ApplicationStopping.Register(() => _hostStopping.TrySetResult());
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>Serves until <paramref name="cancellationToken"/> is cancelled, calling <paramref name="readyCallback"/> once listening; then closes gracefully.</summary>
    public async Task RunAsync(Action? readyCallback = null, CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        readyCallback?.Invoke();
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (cancellationToken.Register(() => cancelled.TrySetResult()).ConfigureAwait(false))
        {
            await Task.WhenAny(cancelled.Task, _hostStopping.Task).ConfigureAwait(false);
        }
        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Blocks serving until Ctrl+C or SIGTERM (the host's console lifetime catches both).</summary>
    public void Run(Action? readyCallback = null) => RunAsync(readyCallback).GetAwaiter().GetResult();

    /// <summary>Closes every instance (app-close listeners run, sessions get a close frame), then stops listening.</summary>
    public void Close() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await Registry.DisposeAsync().ConfigureAwait(false);
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
        LoggerFactory.Dispose();
    }

    private string PublicOrigin()
    {
        // Narvi prints the bind address; a wildcard bind is not a URL anyone can open, so name the machine instead.
        var host = _host is "*" or "0.0.0.0" ? Dns.GetHostName() : _host;
        var port = Address?.Port ?? _port;
        return $"http://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}";
    }
}
