using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ProxyHost.Apps.Monitoring;
using ProxyHost.Apps.RequestServices;
using ProxyHost.Apps.Sessions;

namespace ProxyHost.Apps.Hosting;

/// <summary>
/// The app-services runtime behind both the stand-alone <see cref="NarviServer"/> and ProxyHost's
/// <c>narvi/</c> mount: registered services, apps and redirects, the running instances, their request
/// services and monitoring. Registration validates everything (class, constructor parameters, names) at once.
/// </summary>
public sealed class AppServiceRegistry : IInstanceHost, IAsyncDisposable
{
    private static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(3600);

    private readonly ConcurrentDictionary<(string Workspace, string Name), RegisteredService> _services = new();
    private readonly ConcurrentDictionary<(string Workspace, string Name), RegisteredApp> _apps = new();
    private readonly ConcurrentDictionary<string, (string Workspace, string App)> _redirects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<InstanceKey, ServiceInstance> _instances = new();
    private readonly List<RegisteredApp> _appOrder = [];
    private readonly Lock _gate = new();
    private MetricsMonitor? _monitor;
    private int _disposed;

    public AppServiceRegistry(NarviOptions? options = null)
    {
        Options = options ?? new NarviOptions();
        Logger = Options.LoggerFactory.CreateLogger("ProxyHost.Apps");
        Metrics = new MetricsStore(() => Options.MonitoringRetention);
    }

    public NarviOptions Options { get; }

    TimeProvider IInstanceHost.Time => Options.TimeProvider;

    internal ILogger Logger { get; }

    ILogger IInstanceHost.Logger => Logger;

    internal RequestServiceTable RequestServices { get; } = new();

    RequestServiceTable IInstanceHost.RequestServices => RequestServices;

    internal MetricsStore Metrics { get; }

    internal MetricsMonitor? Monitor => _monitor;

    internal IReadOnlyCollection<ServiceInstance> Instances => _instances.Values.ToList();

    internal IReadOnlyCollection<RegisteredService> Services => _services.Values.ToList();

    public IReadOnlyList<RegisteredApp> Apps
    {
        get
        {
            lock (_gate)
            {
                return [.. _appOrder];
            }
        }
    }

    /// <summary>Registers a backend class; <paramref name="appParameters"/> (any JSON-serializable object) are bound to its constructor now.</summary>
    /// <exception cref="ArgumentException">A bad name, an unknown class, or parameters its constructor cannot take.</exception>
    public RegisteredService RegisterService(string workspace, string appServiceName, string appClassName, object? appParameters = null,
        string? fixedServiceId = null, bool sharedService = true, Func<string, bool>? serviceIdValidator = null, TimeSpan? idleTimeout = null)
    {
        CheckName(workspace, nameof(workspace));
        CheckName(appServiceName, nameof(appServiceName));
        if (fixedServiceId is not null)
        {
            CheckName(fixedServiceId, nameof(fixedServiceId));
        }
        if (idleTimeout is { } timeout && timeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(idleTimeout), "the idle timeout cannot be negative");
        }
        var factory = ServiceFactory.Bind(appClassName, ToJson(appParameters, nameof(appParameters)));
        var service = new RegisteredService
        {
            Workspace = workspace,
            Name = appServiceName,
            ClassName = appClassName,
            Factory = factory,
            FixedServiceId = fixedServiceId,
            Shared = sharedService,
            ServiceIdValidator = serviceIdValidator,
            IdleTimeout = idleTimeout ?? DefaultIdleTimeout,
        };
        if (!_services.TryAdd((workspace, appServiceName), service))
        {
            throw new ArgumentException($"service '{appServiceName}' is already registered in workspace '{workspace}'", nameof(appServiceName));
        }
        return service;
    }

    /// <summary>Registers a frontend; <paramref name="appParameters"/> go to the browser in <c>session_connected</c>.</summary>
    /// <param name="title">A display name for launchers (ProxyHost's launcher page); the app name when null.</param>
    public RegisteredApp RegisterApp(string appName, RegisteredService service, object? appParameters = null,
        IEnumerable<ResourceRoot>? resourceRoots = null, string? serviceChooserAppName = null, string? title = null)
    {
        CheckName(appName, nameof(appName));
        ArgumentNullException.ThrowIfNull(service);
        var parameters = ToJson(appParameters, nameof(appParameters));
        if (parameters.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
        {
            throw new ArgumentException("app parameters must be a JSON object", nameof(appParameters));
        }
        var json = parameters.ValueKind == JsonValueKind.Object ? parameters.GetRawText() : "{}";
        var app = new RegisteredApp
        {
            Name = appName,
            Title = title ?? appName,
            Service = service,
            AppParametersJson = json,
            ResourceRoots = [.. resourceRoots ?? []],
            ServiceChooserAppName = serviceChooserAppName,
        };
        lock (_gate)
        {
            if (!_apps.TryAdd((service.Workspace, appName), app))
            {
                throw new ArgumentException($"app '{appName}' is already registered in workspace '{service.Workspace}'", nameof(appName));
            }
            _appOrder.Add(app);
        }
        return app;
    }

    /// <summary>Redirects <paramref name="fromUrl"/> (relative to <see cref="NarviOptions.RedirectRoot"/>) to the app's index page.</summary>
    public void RegisterRedirect(string fromUrl, string toWorkspace, string toApp)
    {
        ArgumentNullException.ThrowIfNull(fromUrl);
        CheckName(toWorkspace, nameof(toWorkspace));
        CheckName(toApp, nameof(toApp));
        var path = RedirectPath(fromUrl);
        if (!_redirects.TryAdd(path, (toWorkspace, toApp)))
        {
            throw new ArgumentException($"a redirect from '{fromUrl}' is already registered", nameof(fromUrl));
        }
    }

    /// <summary>Starts the monitor and the instances of services with a fixed id (their constructors run now).</summary>
    public async Task StartAsync()
    {
        if (Options.MonitoringInterval is { } interval && _monitor is null)
        {
            _monitor = new MetricsMonitor(this, interval);
        }
        foreach (var service in Services.Where(s => s.FixedServiceId is not null && s.Shared))
        {
            await GetOrStartInstanceAsync(service, service.FixedServiceId!, immortal: true).ConfigureAwait(false);
        }
    }

    /// <summary>Starts an instance (if not running) that never idles out, as Narvi's <c>start_service</c>.</summary>
    public async Task StartServiceAsync(string workspace, string appServiceName, string serviceId)
    {
        var service = GetService(workspace, appServiceName);
        if (!service.Shared)
        {
            throw new ArgumentException($"service '{appServiceName}' is not shared: its instances start with their sessions", nameof(appServiceName));
        }
        if (!service.IsValidServiceId(serviceId))
        {
            throw new ArgumentException($"'{serviceId}' is not a valid service id for '{appServiceName}'", nameof(serviceId));
        }
        await GetOrStartInstanceAsync(service, serviceId, immortal: true).ConfigureAwait(false);
    }

    /// <summary>Closes the service id's instances: their sessions are disconnected and their request services removed.</summary>
    /// <returns>True if something was running.</returns>
    public async Task<bool> StopServiceAsync(string workspace, string appServiceName, string serviceId)
    {
        var service = GetService(workspace, appServiceName);
        var running = _instances.Values.Where(i => i.Service == service && i.Key.ServiceId == serviceId).ToList();
        await Task.WhenAll(running.Select(i => i.CloseAsync("service stopped"))).ConfigureAwait(false);
        return running.Count > 0;
    }

    /// <summary>Stops the instance and starts a fresh one (a new app object) under the same id.</summary>
    public async Task RestartServiceAsync(string workspace, string appServiceName, string serviceId)
    {
        var service = GetService(workspace, appServiceName);
        var wasImmortal = _instances.Values.Any(i => i.Service == service && i.Key.ServiceId == serviceId && i.Immortal);
        await StopServiceAsync(workspace, appServiceName, serviceId).ConfigureAwait(false);
        if (service.Shared)
        {
            await GetOrStartInstanceAsync(service, serviceId, wasImmortal || service.FixedServiceId is not null).ConfigureAwait(false);
        }
    }

    /// <summary>Narvi's <c>get_service_statuses</c>: the running services of one workspace, in the admin JSON's shape.</summary>
    public JsonObject GetServiceStatuses(string workspace) => AdminJson.ForWorkspace(this, workspace, includeApps: false);

    /// <summary>The whole admin JSON (Narvi's shape): workspace → service → instances (with metrics) and apps.</summary>
    public JsonObject GetAdminJson() => AdminJson.Build(this);

    /// <summary>(workspace, app, URL) for every app that can be opened without a service id (fixed id or chooser), then redirects.</summary>
    public IReadOnlyList<(string Workspace, string AppName, string Url)> ListAppUrls(string origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var root = origin.TrimEnd('/');
        var urls = new List<(string, string, string)>();
        if (Options.AdminPath is { } admin)
        {
            urls.Add(("", "admin", root + admin));
        }
        foreach (var app in Apps.Where(a => a.Service.FixedServiceId is not null || a.ServiceChooserAppName is not null))
        {
            urls.Add((app.Workspace, app.Name, $"{root}{Options.BasePath}/{app.Workspace}/{app.Name}/index.html"));
        }
        foreach (var (from, (workspace, app)) in _redirects.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            urls.Add((workspace, app, root + from));
        }
        return urls;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        if (_monitor is not null)
        {
            await _monitor.DisposeAsync().ConfigureAwait(false);
        }
        await Task.WhenAll(_instances.Values.Select(i => i.CloseAsync("server stopping"))).ConfigureAwait(false);
    }

    internal RegisteredApp? FindApp(string workspace, string appName) => _apps.GetValueOrDefault((workspace, appName));

    internal (string Workspace, string App)? FindRedirect(string path) => _redirects.TryGetValue(path, out var target) ? target : null;

    internal ServiceInstance? FindInstance(RegisteredService service, string serviceId) =>
        _instances.GetValueOrDefault(new InstanceKey(service.Workspace, service.Name, serviceId));

    /// <summary>The shared instance for the id, started if needed; its constructor has run when this completes.</summary>
    /// <exception cref="AppServiceStartException">The constructor threw.</exception>
    internal async Task<ServiceInstance> GetOrStartInstanceAsync(RegisteredService service, string serviceId, bool immortal = false)
    {
        var key = new InstanceKey(service.Workspace, service.Name, serviceId);
        ServiceInstance instance;
        lock (_gate)
        {
            if (_instances.TryGetValue(key, out var existing))
            {
                instance = existing;
                if (immortal)
                {
                    instance.MakeImmortal();
                }
            }
            else
            {
                instance = ServiceInstance.Start(this, service, key, immortal);
                _instances[key] = instance;
            }
        }
        return await Constructed(instance).ConfigureAwait(false);
    }

    /// <summary>A new instance for one session of a non-shared service.</summary>
    internal Task<ServiceInstance> StartSessionInstanceAsync(RegisteredService service, string serviceId)
    {
        var key = new InstanceKey(service.Workspace, service.Name, serviceId, Guid.NewGuid().ToString());
        var instance = ServiceInstance.Start(this, service, key, immortal: false);
        _instances[key] = instance;
        return Constructed(instance);
    }

    RegisteredApp? IInstanceHost.FindAppOf(RegisteredService service, string appName) =>
        FindApp(service.Workspace, appName) is { } app && app.Service == service ? app : null;

    bool IInstanceHost.SendToApp(ServiceInstance from, string workspace, string appName, string serviceId, object? data)
    {
        if (FindApp(workspace, appName) is not { Service.Shared: true } app || FindInstance(app.Service, serviceId) is not { IsClosed: false } target)
        {
            return false;
        }
        target.ReceiveFromApp(from.Service.Workspace, from.Service.Name, from.Key.ServiceId, data);
        return true;
    }

    void IInstanceHost.Detach(ServiceInstance instance) => _instances.TryRemove(KeyValuePair.Create(instance.Key, instance));

    private static async Task<ServiceInstance> Constructed(ServiceInstance instance) =>
        await instance.Constructed.ConfigureAwait(false) is { } failure
            ? throw new AppServiceStartException($"{instance.Service.Describe(instance.Key.ServiceId)} failed to start: {failure.Message}", failure)
            : instance;

    private RegisteredService GetService(string workspace, string appServiceName) =>
        _services.GetValueOrDefault((workspace, appServiceName))
        ?? throw new ArgumentException($"no service '{appServiceName}' in workspace '{workspace}'", nameof(appServiceName));

    private string RedirectPath(string fromUrl)
    {
        var root = Options.RedirectRoot.EndsWith('/') ? Options.RedirectRoot : Options.RedirectRoot + "/";
        return root + fromUrl.TrimStart('/');
    }

    private static JsonElement ToJson(object? value, string parameterName)
    {
        try
        {
            return value switch
            {
                null => default,
                JsonElement element => element,
                _ => JsonSerializer.SerializeToElement(value),
            };
        }
        catch (NotSupportedException e)
        {
            throw new ArgumentException($"{parameterName} cannot be serialized to JSON: {e.Message}", parameterName);
        }
    }

    /// <summary>Names become URL segments: non-empty, no '/', no surrounding spaces, not '.' or '..'.</summary>
    private static void CheckName(string value, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, parameterName);
        if (value.Contains('/', StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal) || value is "." or ".." || value.Trim() != value)
        {
            throw new ArgumentException($"'{value}' cannot be used as a {parameterName}: it must be one URL segment (no '/', '\\', '.', '..' or surrounding spaces)", parameterName);
        }
    }
}

/// <summary>An app service's constructor threw; the connecting client gets a 500.</summary>
public sealed class AppServiceStartException(string message, Exception inner) : Exception(message, inner);
