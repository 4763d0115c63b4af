using ProxyHost.Configuration;
using ProxyHost.Hosting;
using ProxyHost.Hosting.Configuration;
using ProxyHost.Hosting.Relays;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Yjs websocket relays on the ProxyHost builder.</summary>
public static class RelayProxyHostBuilderExtensions
{
    /// <summary>Serves a relay at <c>&lt;base_url&gt;relay/<paramref name="name"/>/{documentId}</c> (in addition to the config file's <c>relays</c>).</summary>
    /// <exception cref="ArgumentException">The name is invalid or taken, or an option is invalid (the message names the option's config key).</exception>
    public static IProxyHostBuilder AddRelay(this IProxyHostBuilder builder, string name, RelayOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        if (ServerNames.Validate(name) is { } nameProblem)
        {
            throw new ArgumentException(nameProblem.Replace("server name", "relay name", StringComparison.Ordinal), nameof(name));
        }
        if (RelayOptionsValidator.Validate(options).FirstOrDefault() is { Key: not null } problem)
        {
            throw new ArgumentException($"relay '{name}': {problem.Key}: {problem.Problem}", nameof(options));
        }
        var sources = Sources(builder.Services);
        if (sources.CodeDefined.Any(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"relay '{name}' is already added", nameof(name));
        }
        sources.CodeDefined.Add(new RelayDefinition(name, options));
        return builder;
    }

    internal static IServiceCollection AddProxyHostRelays(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(RelayDefinitionSources)))
        {
            return services;
        }
        var sources = new RelayDefinitionSources();
        services.AddSingleton(sources);
        return services.AddRelays(sp => sources.Load(sp.GetService<ConfigFileSource>()));
    }

    private static RelayDefinitionSources Sources(IServiceCollection services) =>
        (RelayDefinitionSources)services.Single(d => d.ServiceType == typeof(RelayDefinitionSources)).ImplementationInstance!;
}
