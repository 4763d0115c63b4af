using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ProxyHost.Configuration;
using ProxyHost.Plugins;

namespace HelloPlugin;

/// <summary>Contributes one server (python3's http.server) and one app service, like a jupyter-server-proxy entry point.</summary>
public sealed class HelloPlugin : IProxyHostPlugin
{
    public IEnumerable<ServerProcessDefinition> GetServerProcesses() =>
    [
        new ServerProcessDefinition
        {
            Name = "hello-plugin",
            LauncherEntry = new LauncherEntry { Title = "Hello (from a plugin)", Category = "Plugins" },
        }.WithCommand((int port) => new[] { "python3", "-m", "http.server", "--bind", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
    ];

    public void ConfigureServices(IServiceCollection services) => services.AddHostedService<HelloPluginService>();
}

/// <summary>An app service the plugin adds: it only says hello when ProxyHost starts.</summary>
public sealed partial class HelloPluginService(ILogger<HelloPluginService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Log.Hello(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "hello-plugin loaded")]
        public static partial void Hello(ILogger logger);
    }
}
