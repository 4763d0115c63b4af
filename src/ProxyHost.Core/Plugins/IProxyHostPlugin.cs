using Microsoft.Extensions.DependencyInjection;
using ProxyHost.Configuration;

namespace ProxyHost.Plugins;

/// <summary>
/// What a plugin assembly contributes — ProxyHost's analog of jupyter-server-proxy's
/// <c>jupyter_serverproxy_servers</c> entry points. A plugin is a public class with a public
/// parameterless constructor in a DLL that ProxyHost is told about (a plugins folder in config or
/// <c>--plugins DIR</c>); it references ProxyHost.Core only.
/// </summary>
public interface IProxyHostPlugin
{
    /// <summary>Server-process definitions to serve, after the config file's in launcher order.</summary>
    IEnumerable<ServerProcessDefinition> GetServerProcesses() => [];

    /// <summary>Adds app services (hosted services, options, anything ProxyHost's container should hold).</summary>
    void ConfigureServices(IServiceCollection services)
    {
    }
}
