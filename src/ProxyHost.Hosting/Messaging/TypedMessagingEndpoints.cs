using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyHost.Configuration;
using ProxyHost.Hosting.Configuration;
using ProxyHost.Messaging.Server;

namespace ProxyHost.Hosting.Messaging;

/// <summary>
/// Maps every typed-messaging site (code-defined and the config file's <c>webservers</c>) under
/// <c>&lt;base_url&gt;_/messaging/</c>. The normal endpoint routing applies, so ProxyHost's fallback
/// authorization policy guards the pages, files and websockets. The section is read at start-up.
/// </summary>
internal static class TypedMessagingEndpoints
{
    public static void MapTypedMessagingSites(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        var sites = services.GetRequiredService<TypedMessagingSites>();
        var baseUrl = services.GetRequiredService<IOptions<ProxyHostOptions>>().Value.BaseUrl;
        var loggerFactory = services.GetRequiredService<ILoggerFactory>();

        foreach (var registration in services.GetServices<TypedMessagingSiteRegistration>())
        {
            var options = new MessagingOptions();
            registration.Configure(options);
            Add(registration.Name, options, "code");
        }
        foreach (var source in services.GetServices<ConfigFileSource>())
        {
            foreach (var definition in source.AtStartup?.WebServers ?? [])
            {
                Add(definition.Name, WebServerSiteOptions.From(definition, source.Path), source.Path);
            }
        }
        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(sites.CloseAll);

        void Add(string name, MessagingOptions options, string origin)
        {
            var hub = new MessagingHub(options, loggerFactory, name);
            if (!sites.TryAdd(name, hub))
            {
                throw new ConfigValidationException([new ConfigError(origin, "webservers." + name, $"site '{name}' is already defined (in code or another file); names are case-insensitive")]);
            }
            endpoints.MapTypedMessaging(baseUrl + TypedMessagingSites.PathPrefix + name + "/", hub);
        }
    }
}
