using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using ProxyHost.Configuration;
using ProxyHost.Relay;
using ProxyHost.Relay.Metrics;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers and maps ProxyHost's Yjs websocket relays.</summary>
public static class RelayServiceCollectionExtensions
{
    /// <summary>Adds the relay services; <paramref name="definitions"/> is asked once, when the relays are first needed.</summary>
    public static IServiceCollection AddRelays(this IServiceCollection services, Func<IServiceProvider, IReadOnlyList<RelayDefinition>> definitions)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(definitions);
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RelayTuning>();
        services.TryAddSingleton<RelayMetrics>();
        services.TryAddSingleton(sp => new RelayRegistry(definitions(sp), sp.GetRequiredService<RelayMetrics>(),
            sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<RelayTuning>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<RelayEndpoint>();
        services.AddHostedService<RelayUpstreamService>();
        return services;
    }

    /// <summary>Maps <c><paramref name="baseUrl"/>relay/NAME/{documentId}</c> (and <c>relay/NAME</c> for multiplexed peers).</summary>
    public static IEndpointConventionBuilder MapRelays(this IEndpointRouteBuilder endpoints, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(baseUrl);
        var endpoint = endpoints.ServiceProvider.GetRequiredService<RelayEndpoint>();
        return endpoints.Map(baseUrl + "relay/{relay}/{**document}",
            (HttpContext context, string relay, string? document) => endpoint.HandleAsync(context, relay, document, baseUrl));
    }
}
