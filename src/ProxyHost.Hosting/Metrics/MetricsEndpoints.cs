using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ProxyHost.Configuration;

namespace ProxyHost.Hosting.Metrics;

/// <summary><c>GET &lt;base_url&gt;metrics</c> in the Prometheus text format (behind the same token as everything else unless <c>--metrics-no-auth</c>).</summary>
internal static class MetricsEndpoints
{
    public static void MapProxyHostMetrics(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<ProxyHostOptions>>().Value;
        // Created now, not on the first scrape, so it sees every measurement from the start.
        var exporter = endpoints.ServiceProvider.GetRequiredService<PrometheusExporter>();
        endpoints.ServiceProvider.GetRequiredService<ServerResourceMetrics>();
        var metrics = endpoints.MapGet(options.BaseUrl + "metrics", () =>
            Results.Text(exporter.Render(), "text/plain; version=0.0.4; charset=utf-8"));
        if (options.MetricsWithoutAuth)
        {
            // The one endpoint that can be exempted, and only by the explicit --metrics-no-auth.
            metrics.AllowAnonymous();
        }
    }
}
