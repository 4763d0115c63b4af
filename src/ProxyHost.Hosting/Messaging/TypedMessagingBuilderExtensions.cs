using ProxyHost.Configuration;
using ProxyHost.Hosting;
using ProxyHost.Hosting.Messaging;
using ProxyHost.Messaging.Server;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds typed-messaging sites (the NanoLLM-style web server) to ProxyHost in code.</summary>
public static class TypedMessagingBuilderExtensions
{
    /// <summary>
    /// Serves a site at <c>&lt;base_url&gt;_/messaging/NAME/</c>, behind ProxyHost's authentication, next
    /// to any a config file's <c>webservers</c> defines (a name may not be used by both).
    /// </summary>
    public static IProxyHostBuilder AddTypedMessaging(this IProxyHostBuilder builder, string name, Action<MessagingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        if (WebServerNames.Validate(name) is { } problem)
        {
            throw new ArgumentException(problem, nameof(name));
        }
        builder.Services.AddSingleton(new TypedMessagingSiteRegistration(name, configure));
        return builder;
    }
}
