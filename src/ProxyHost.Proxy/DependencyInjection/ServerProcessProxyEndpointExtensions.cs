using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ProxyHost.Proxy.Activation;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the server-process routes.</summary>
public static class ServerProcessProxyEndpointExtensions
{
    /// <summary>
    /// Maps every server under <c>&lt;base_url&gt;&lt;name&gt;/</c> through YARP, lazily starting it first;
    /// <c>&lt;base_url&gt;&lt;name&gt;</c> redirects to add the slash.
    /// </summary>
    public static IEndpointConventionBuilder MapServerProcessProxy(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapReverseProxy(pipeline =>
        {
            pipeline.Use(pipeline.ApplicationServices.GetRequiredService<ProxyHost.Proxy.Metrics.ProxyTelemetryStep>().InvokeAsync);
            var activation = pipeline.ApplicationServices.GetRequiredService<ServerActivationStep>();
            pipeline.Use(activation.InvokeAsync);
            pipeline.UseLoadBalancing();
        });
    }
}
