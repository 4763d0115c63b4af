using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using ProxyHost.Configuration;
using ProxyHost.Hosting.Security;
using ProxyHost.Hosting.Transport;
using ProxyHost.Security;

namespace ProxyHost.Hosting;

/// <summary>
/// Builds the whole ProxyHost web application; <c>proxyhost serve</c> and the integration tests both
/// use it, so what the tests exercise is what users run.
/// </summary>
public static class ProxyHostApplication
{
    /// <summary>Creates the application; call <c>StartAsync</c> or <c>RunAsync</c> on the result.</summary>
    /// <param name="options">Where to listen, the base URL, the token and the config file.</param>
    /// <param name="configFileRequired">When false a missing config file at <see cref="ProxyHostOptions.ConfigPath"/> is not an error.</param>
    /// <param name="configure">Further changes to the builder (logging, extra services or servers).</param>
    public static WebApplication Create(ProxyHostOptions options, bool configFileRequired = true, Action<WebApplicationBuilder, IProxyHostBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(WebApplicationDefaults.Options("ProxyHost"));
        // stdout is reserved for what the CLI prints (the "listening on" line); every log goes to stderr.
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
            // Its only messages are per-request Information lines, but any enabled level makes ASP.NET start an
            // Activity for every request (and HttpClient then injects trace headers): measurable on the proxy path.
            .AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None)
            .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning)
            .AddFilter("Yarp", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = ShutdownTimeouts.RequestDrain);
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ApplyProxyHostLimits(kestrel.ApplicationServices.GetRequiredService<IOptions<ProxyHostOptions>>().Value));

        var proxyHost = builder.Services.AddProxyHost(options);
        if (options.ConfigPath is not null)
        {
            proxyHost.LoadFromJsonFile(options.ConfigPath, configFileRequired);
        }
        foreach (var directory in PluginDirectories(options))
        {
            proxyHost.AddPlugins(directory);
        }
        configure?.Invoke(builder, proxyHost);

        var app = builder.Build();
        app.UseProxyHost();
        app.MapProxyHost();
        return app;
    }

    /// <summary>
    /// <c>--plugins</c> folders, then the config file's <c>plugins</c> (relative to the file). Plugins are
    /// loaded once at start-up; a later change to the key needs a restart.
    /// </summary>
    private static IEnumerable<string> PluginDirectories(ProxyHostOptions options)
    {
        foreach (var directory in options.PluginDirectories)
        {
            yield return Path.GetFullPath(directory);
        }
        if (options.ConfigPath is { } configPath && File.Exists(configPath))
        {
            var configDirectory = Path.GetDirectoryName(Path.GetFullPath(configPath))!;
            foreach (var directory in ProxyHostConfigReader.ReadFile(configPath).PluginDirectories)
            {
                yield return Path.GetFullPath(directory, configDirectory);
            }
        }
    }
}
