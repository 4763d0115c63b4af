using Microsoft.Extensions.Options;
using ProxyHost.Catalog;
using ProxyHost.Configuration;
using ProxyHost.Proxy.Activation;
using ProxyHost.Proxy.Routing;
using Yarp.ReverseProxy.Transforms.Builder;

namespace ProxyHost.Proxy.Transforms;

/// <summary>
/// Adds <see cref="ServerRequestTransform"/> and <see cref="ProxyHostCookieResponseTransform"/> to every server
/// route and <see cref="LocationRewriteTransform"/> to prefix-stripped ones, built once per route generation.
/// </summary>
internal sealed class ServerTransformProvider(IServerProcessCatalog catalog, IOptions<ProxyHostOptions> options) : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        var metadata = context.Route.Metadata;
        if (metadata is null || !metadata.TryGetValue(ProxyMetadata.ServerName, out var name)
            || catalog.Current.Find(name) is not { } definition)
        {
            return;
        }

        var contextPath = metadata[ProxyMetadata.ContextPath];
        context.RequestTransforms.Add(ConnectionHeaderTransform.Instance);
        context.RequestTransforms.Add(new ServerRequestTransform(contextPath, definition.AbsoluteUrl, definition.MapPath, options.Value.Token, definition.MapPathCallback));
        if (!definition.AbsoluteUrl)
        {
            context.ResponseTransforms.Add(new LocationRewriteTransform(contextPath));
        }
        if (!definition.RewriteResponse.IsEmpty)
        {
            context.ResponseTransforms.Add(new RewriteResponseTransform(definition.RewriteResponse, static http =>
                http.Features.Get<IServerActivationFeature>()?.Server.Endpoint is { } endpoint ? ("localhost", endpoint.Port) : ("localhost", 0)));
        }
        context.ResponseTransforms.Add(new WebSocketRefusalTransform());
        context.ResponseTransforms.Add(ProxyHostCookieResponseTransform.Instance);
    }
}
