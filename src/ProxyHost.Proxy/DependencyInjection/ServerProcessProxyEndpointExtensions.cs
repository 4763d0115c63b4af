using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ProxyHost.Catalog;
using ProxyHost.Configuration;
using ProxyHost.Proxy.Activation;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the server-process routes.</summary>
public static class ServerProcessProxyEndpointExtensions
{
    /// <summary>
    /// Maps every server under <c>&lt;base_url&gt;&lt;name&gt;/</c> through YARP (lazily starting it first),
    /// and <c>&lt;base_url&gt;&lt;name&gt;</c> to a redirect that adds the slash.
    /// </summary>
    public static IEndpointConventionBuilder MapServerProcessProxy(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var baseUrl = endpoints.ServiceProvider.GetRequiredService<IOptions<ProxyHostOptions>>().Value.BaseUrl;
        var catalog = endpoints.ServiceProvider.GetRequiredService<IServerProcessCatalog>();

        endpoints.MapMethods(baseUrl + "{name}", [HttpMethods.Get, HttpMethods.Head], (HttpContext context, string name) =>
            catalog.Current.Find(name) is { } server
                ? Results.Redirect(baseUrl + server.Name + "/" + context.Request.QueryString)
                : Results.NotFound());

        return endpoints.MapReverseProxy(pipeline =>
        {
            var activation = pipeline.ApplicationServices.GetRequiredService<ServerActivationStep>();
            pipeline.Use(activation.InvokeAsync);
            pipeline.UseLoadBalancing();
        });
    }
}
