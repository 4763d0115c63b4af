using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ProxyHost.Configuration;

namespace ProxyHost.Hosting.Metrics;

/// <summary><c>GET &lt;base_url&gt;metrics</c> in the Prometheus text format (behind the same token as everything else).</summary>
internal static class MetricsEndpoints
{
    public static void MapProxyHostMetrics(this IEndpointRouteBuilder endpoints)
    {
        var baseUrl = endpoints.ServiceProvider.GetRequiredService<IOptions<ProxyHostOptions>>().Value.BaseUrl;
        // Created now, not on the first scrape, so it sees every measurement from the start.
        var exporter = endpoints.ServiceProvider.GetRequiredService<PrometheusExporter>();
        endpoints.MapGet(baseUrl + "metrics", () =>
            Results.Text(exporter.Render(), "text/plain; version=0.0.4; charset=utf-8"));
    }
}
