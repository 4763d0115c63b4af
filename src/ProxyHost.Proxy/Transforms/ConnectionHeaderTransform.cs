using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;

namespace ProxyHost.Proxy.Transforms;

/// <summary>
/// Removes the headers a client names in its <c>Connection</c> header (RFC 9110 §7.6.1: they are
/// meant for ProxyHost, the next hop, only). YARP drops the fixed hop-by-hop headers itself but
/// forwards these. Runs before the header overrides, so an override is never removed by it.
/// </summary>
internal sealed class ConnectionHeaderTransform : RequestTransform
{
    public static ConnectionHeaderTransform Instance { get; } = new();

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        foreach (var value in context.HttpContext.Request.Headers.Connection)
        {
            foreach (var token in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                // Upgrade carries websockets, which YARP forwards itself; keep-alive and close are options, not header names.
                if (!token.Equals(HeaderNames.Upgrade, StringComparison.OrdinalIgnoreCase)
                    && !token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
                    && !token.Equals("close", StringComparison.OrdinalIgnoreCase))
                {
                    context.ProxyRequest.Headers.Remove(token);
                    context.ProxyRequest.Content?.Headers.Remove(token);
                }
            }
        }
        return ValueTask.CompletedTask;
    }
}
