using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ProxyHost.Catalog;
using ProxyHost.Configuration;
using ProxyHost.Proxy.ArbitraryPorts;

namespace ProxyHost.Hosting.Configuration;

/// <summary>
/// Loads proxyhost.json into the catalog at start-up (an invalid file stops start-up with every error)
/// and reloads it whenever it changes on disk. A reload that fails validation is logged and ignored:
/// the servers keep running on the last good definitions.
/// </summary>
internal sealed partial class ConfigFileCatalogLoader(
    ConfigFileSource source, ServerDefinitionSources sources, InMemoryServerProcessCatalog catalog, ILogger<ConfigFileCatalogLoader> logger,
    HostAllowlistSource hostAllowlist)
    : IHostedService, IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(150);

    private FileSystemWatcher? _watcher;
    private Timer? _reloadTimer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var fullPath = source.Path;
        if (source.AtStartup is { } configuration)
        {
            Apply(configuration);
        }
        else
        {
            Log.NoConfigFile(logger, fullPath);
        }

        _reloadTimer = new Timer(_ => Reload(fullPath));
        var directory = Path.GetDirectoryName(fullPath)!;
        if (Directory.Exists(directory))
        {
            _watcher = new FileSystemWatcher(directory, Path.GetFileName(fullPath))
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            _watcher.Changed += OnFileEvent;
            _watcher.Created += OnFileEvent;
            _watcher.Renamed += OnFileEvent;
            _watcher.Deleted += OnFileEvent;
            _watcher.EnableRaisingEvents = true;
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _watcher = null;
        _reloadTimer?.Dispose();
    }

    // Editors and 'proxyhost add' write in several steps (truncate, write, rename); wait for them to settle.
    private void OnFileEvent(object sender, FileSystemEventArgs e) => _reloadTimer?.Change(Debounce, Timeout.InfiniteTimeSpan);

    private void Reload(string fullPath)
    {
        try
        {
            var configuration = File.Exists(fullPath) ? ProxyHostConfigReader.ReadFile(fullPath) : ProxyHostConfiguration.Empty;
            if (Apply(configuration))
            {
                Log.Reloaded(logger, fullPath, configuration.Servers.Count);
            }
        }
        catch (ConfigValidationException e)
        {
            Log.ReloadRejected(logger, fullPath, e.Message);
        }
    }

    private bool Apply(ProxyHostConfiguration configuration)
    {
        var fileNames = configuration.Servers.Select(s => s.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var clash = sources.CodeDefined.FirstOrDefault(s => fileNames.Contains(s.Name));
        if (clash is not null)
        {
            throw new ConfigValidationException([new ConfigError(source.Path, "servers." + clash.Name, "this server is already defined in code")]);
        }
        hostAllowlist.FromConfigFile = configuration.HostAllowlist;
        return catalog.Update([.. sources.CodeDefined, .. configuration.Servers]);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = HostingEventIds.NoConfigFile, Level = LogLevel.Warning, Message = "No config file at {Path}; serving no servers until it is created")]
        public static partial void NoConfigFile(ILogger logger, string path);

        [LoggerMessage(EventId = HostingEventIds.ConfigReloaded, Level = LogLevel.Information, Message = "Reloaded {Path}: {Count} server(s)")]
        public static partial void Reloaded(ILogger logger, string path, int count);

        [LoggerMessage(EventId = HostingEventIds.ConfigReloadRejected, Level = LogLevel.Error, Message = "Ignored the change to {Path}; still serving the previous definitions:\n{Errors}")]
        public static partial void ReloadRejected(ILogger logger, string path, string errors);
    }
}
