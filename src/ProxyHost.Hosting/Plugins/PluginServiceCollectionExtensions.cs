using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ProxyHost.Hosting;
using ProxyHost.Hosting.Plugins;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Loading plugins from folders.</summary>
public static class PluginServiceCollectionExtensions
{
    /// <summary>
    /// Loads the plugins in <paramref name="directory"/> now: their servers are added like servers defined
    /// in code and their services registered. Problems (a file that does not load, a plugin that throws,
    /// a duplicate server name) skip that plugin or server and are logged as warnings at start-up.
    /// </summary>
    public static IProxyHostBuilder AddPlugins(this IProxyHostBuilder builder, string directory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var warnings = new List<string>();
        foreach (var (file, plugin) in PluginLoader.Load(directory, warnings))
        {
            try
            {
                var servers = plugin.GetServerProcesses().ToList();
                var services = new ServiceCollection();
                plugin.ConfigureServices(services);
                foreach (var server in servers)
                {
                    try
                    {
                        builder.AddServerProcess(server);
                    }
                    catch (ArgumentException e)
                    {
                        warnings.Add($"plugin {file}: server '{server.Name}' skipped: {e.Message}");
                    }
                }
                foreach (var service in services)
                {
                    builder.Services.Add(service);
                }
            }
#pragma warning disable CA1031 // a plugin's own failure must not stop ProxyHost
            catch (Exception e)
#pragma warning restore CA1031
            {
                warnings.Add($"plugin {file} skipped: {plugin.GetType().FullName} failed: {e.Message.ReplaceLineEndings(" ")}");
            }
        }
        builder.Services.AddSingleton<IHostedService>(sp => new PluginWarningLogger(warnings, sp.GetRequiredService<ILogger<PluginWarningLogger>>()));
        return builder;
    }
}

/// <summary>Logs plugin-loading warnings once the host has logging.</summary>
internal sealed partial class PluginWarningLogger(IReadOnlyList<string> warnings, ILogger<PluginWarningLogger> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var warning in warnings)
        {
            Log.PluginWarning(logger, warning);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = HostingEventIds.PluginWarning, Level = LogLevel.Warning, Message = "{Warning}")]
        public static partial void PluginWarning(ILogger logger, string warning);
    }
}
