using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ProxyHost.Configuration;
using ProxyHost.Proxy.ArbitraryPorts;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps jupyter-server-proxy's arbitrary-port routes.</summary>
public static class ArbitraryPortEndpointExtensions
{
    /// <summary>
    /// Maps <c>&lt;base_url&gt;proxy/{**rest}</c>: <c>proxy/&lt;port&gt;/</c>, <c>proxy/absolute/&lt;port&gt;/</c> and the
    /// <c>&lt;host&gt;:&lt;port&gt;</c> forms gated by the host allowlist; everything else under it is 404.
    /// Authenticated like every endpoint. <see cref="ProxyHostOptions.ArbitraryPorts"/> turns it off.
    /// </summary>
    public static IEndpointConventionBuilder MapArbitraryPortProxy(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var baseUrl = endpoints.ServiceProvider.GetRequiredService<IOptions<ProxyHostOptions>>().Value.BaseUrl;
        var proxy = endpoints.ServiceProvider.GetRequiredService<ArbitraryPortProxy>();
        return endpoints.Map(baseUrl + "proxy/{**rest}", proxy.InvokeAsync);
    }
}
