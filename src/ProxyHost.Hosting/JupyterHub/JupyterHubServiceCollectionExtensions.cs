using Microsoft.Extensions.DependencyInjection.Extensions;
using ProxyHost.Hosting;
using ProxyHost.Hosting.JupyterHub;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Running ProxyHost as a JupyterHub single-user server.</summary>
public static class JupyterHubServiceCollectionExtensions
{
    /// <summary>Reports the time of the last proxied activity to the Hub's activity URL on an interval, so the Hub's idle culler sees use.</summary>
    public static IProxyHostBuilder AddJupyterHubActivity(this IProxyHostBuilder builder, Action<JupyterHubActivityOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<JupyterHubActivityReporter>();
        return builder;
    }
}
