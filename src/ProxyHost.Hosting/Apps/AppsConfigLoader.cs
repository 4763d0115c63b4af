using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using ProxyHost.Apps.Hosting;
using ProxyHost.Apps.Monitoring;
using ProxyHost.Configuration;
using ProxyHost.Hosting.Configuration;
using ProxyHost.Hosting.Plugins;

namespace ProxyHost.Hosting.Apps;

/// <summary>
/// At start-up: loads the config file's <c>apps</c> section into the registry (assemblies, services, apps,
/// redirects, monitoring), then code registrations, then starts fixed-id instances. Every problem — a missing
/// file, an unknown class, a parameter the constructor cannot take — is reported with the file and key, and
/// stops start-up. The section is read once; a change needs a restart.
/// </summary>
internal sealed class AppsConfigLoader(
    AppServiceRegistry registry, IEnumerable<ConfigFileSource> configFiles, IEnumerable<AppServicesConfigurator> configurators, IHostApplicationLifetime lifetime)
    : IHostedService
{
    public const string MountName = "narvi";
    private static readonly TimeSpan DefaultMonitorInterval = TimeSpan.FromSeconds(5);
    private Task? _closing;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configFile = configFiles.FirstOrDefault(f => f.AtStartup is not null);
        var configPath = configFile?.Path;
        var section = configFile?.AtStartup!.Apps;
        var sources = new Dictionary<RegisteredService, string>();
        if (section is not null)
        {
            var errors = new List<ConfigError>();
            Apply(section, configPath!, errors, sources);
            if (errors.Count > 0)
            {
                throw new ConfigValidationException(errors);
            }
        }
        foreach (var configurator in configurators)
        {
            configurator.Configure(registry);
        }
        // Sessions are closed before Kestrel stops, or its graceful shutdown would wait for every open websocket.
        lifetime.ApplicationStopping.Register(() => _closing ??= registry.DisposeAsync().AsTask());
        try
        {
            await registry.StartAsync().ConfigureAwait(false);
        }
        catch (AppServiceStartException e)
        {
            var location = sources.FirstOrDefault(s => e.Message.StartsWith($"{s.Key.Workspace}/{s.Key.Name}/", StringComparison.Ordinal)).Value ?? "apps";
            throw new ConfigValidationException([new ConfigError(configPath ?? "code", location, e.Message)]);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await (_closing ?? registry.DisposeAsync().AsTask()).ConfigureAwait(false);

    private void Apply(AppsConfiguration section, string configPath, List<ConfigError> errors, Dictionary<RegisteredService, string> sources)
    {
        var directory = Path.GetDirectoryName(configPath)!;
        void Error(string location, string message) => errors.Add(new ConfigError(configPath, location, message));

        registry.Options.AdminPath = section.AdminPath is { } admin ? $"{registry.Options.BasePath}/{admin}" : null;
        registry.Options.MonitoringInterval = section.MonitoringInterval ?? (section.MonitorApp ? DefaultMonitorInterval : null);
        registry.Options.MonitoringRetention = section.MonitoringRetention;

        for (var i = 0; i < section.Assemblies.Count; i++)
        {
            if (LoadAssembly(Path.GetFullPath(section.Assemblies[i], directory)) is { } problem)
            {
                Error($"apps.assemblies[{i}]", problem);
            }
        }
        if (errors.Count > 0)
        {
            return; // classes cannot be found without their assemblies
        }

        var services = new Dictionary<(string, string), RegisteredService>();
        foreach (var config in section.Services)
        {
            try
            {
                using var parameters = JsonDocument.Parse(config.ParametersJson);
                var service = registry.RegisterService(config.Workspace, config.Name, config.ClassName, parameters.RootElement.Clone(),
                    config.FixedServiceId, config.Shared, Validator(config.ServiceIdPattern), config.IdleTimeout);
                services[(config.Workspace, config.Name)] = service;
                sources[service] = config.Location;
            }
            catch (ServiceBindingException e)
            {
                Error($"{config.Location}.{e.Key}", e.Message);
            }
            catch (ArgumentException e)
            {
                Error(config.Location, e.Message);
            }
        }
        foreach (var app in section.Apps)
        {
            var roots = app.ResourceRoots.Select(r => Root(r, directory, Error)).OfType<ResourceRoot>().ToList();
            if (!services.TryGetValue((app.Workspace, app.Service), out var service))
            {
                continue; // its service failed above, or the reader already reported it
            }
            try
            {
                using var parameters = JsonDocument.Parse(app.ParametersJson);
                registry.RegisterApp(app.Name, service, parameters.RootElement.Clone(), roots, app.ServiceChooser, app.Title);
            }
            catch (ArgumentException e)
            {
                Error(app.Location, e.Message);
            }
        }
        if (section.MonitorApp)
        {
            sources[MonitorApp.Register(registry).Service] = "apps.monitor_app";
        }
        foreach (var redirect in section.Redirects)
        {
            try
            {
                registry.RegisterRedirect(redirect.From, redirect.Workspace, redirect.App);
            }
            catch (ArgumentException e)
            {
                Error(redirect.Location + ".from", e.Message);
            }
        }
    }

    private static ResourceRoot? Root(AppResourceRootConfig root, string directory, Action<string, string> error)
    {
        if (root.File is { } file)
        {
            var path = Path.GetFullPath(file, directory);
            if (!File.Exists(path))
            {
                error(root.Location + ".file", $"the file {path} does not exist");
                return null;
            }
            return ResourceRoot.File(root.Url!, path);
        }
        var folder = Path.GetFullPath(root.Folder!, directory);
        if (!Directory.Exists(folder))
        {
            error(root.Location + ".folder", $"the folder {folder} does not exist");
            return null;
        }
        return ResourceRoot.Folder(root.Prefix, root.Glob!, folder);
    }

    private static Func<string, bool>? Validator(string? pattern)
    {
        if (pattern is null)
        {
            return null;
        }
        // \z, not $: $ also matches before a final newline, and ids come percent-decoded from URLs.
        var regex = new Regex($@"^(?:{pattern})\z", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return regex.IsMatch;
    }

    /// <summary>Loads an app assembly in its own context (sharing ProxyHost's); null when it loaded (or already was).</summary>
    private static string? LoadAssembly(string path)
    {
        if (!File.Exists(path))
        {
            return $"the assembly {path} does not exist";
        }
        if (System.Runtime.Loader.AssemblyLoadContext.All.SelectMany(c => c.Assemblies).Any(a => !a.IsDynamic && a.Location == path))
        {
            return null;
        }
        try
        {
            new PluginLoadContext(path).LoadFromAssemblyPath(path);
            return null;
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or IOException)
        {
            return $"cannot load {path}: {e.Message}";
        }
    }
}

/// <summary>One <c>AddAppServices</c> callback.</summary>
internal sealed record AppServicesConfigurator(Action<AppServiceRegistry> Configure);
