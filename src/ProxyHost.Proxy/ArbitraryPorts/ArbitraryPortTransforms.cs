using ProxyHost.Proxy.Transforms;
using Yarp.ReverseProxy.Transforms;

namespace ProxyHost.Proxy.ArbitraryPorts;

/// <summary>
/// The <c>proxy/…</c> request shaping, shared with named servers: the path as sent (prefix stripped unless
/// absolute), context headers unless absolute, and none of ProxyHost's own credentials.
/// </summary>
internal sealed class ArbitraryPortRequestTransform(string? token) : RequestTransform
{
    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        if (context.HttpContext.Features.Get<ArbitraryPortTarget>() is not { } target)
        {
            return ValueTask.CompletedTask;
        }

        var publicPath = ArbitraryPortProxy.RawPath(context.HttpContext);
        var path = target.Absolute ? publicPath : publicPath[target.Prefix.Length..];
        ServerRequestTransform.SetContextHeaders(context, target.Absolute ? null : target.ContextPath);
        ServerRequestTransform.StripCredentials(context, token);
        context.ProxyRequest.RequestUri = new Uri(context.DestinationPrefix + (path.Length == 0 ? "/" : path) + ForwardedTarget.Query(context.HttpContext, token));
        return ValueTask.CompletedTask;
    }
}

/// <summary>Location rewriting for <c>proxy/&lt;port&gt;/</c> (never for the absolute forms), as for named servers.</summary>
internal sealed class ArbitraryPortLocationTransform : ResponseTransform
{
    public override ValueTask ApplyAsync(ResponseTransformContext context) =>
        context.HttpContext.Features.Get<ArbitraryPortTarget>() is { Absolute: false } target
            ? new LocationRewriteTransform(target.ContextPath).ApplyAsync(context)
            : ValueTask.CompletedTask;
}
